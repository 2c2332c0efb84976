package dev.baton.testing;

import dev.baton.api.Application;
import dev.baton.api.ApplicationService;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.Drain;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;

/** Applications for reconciler tests, as a user would write them. */
public final class Applications {

  /**
   * The annotation signal and no wait: tests about releases need old pods to go through the drain path, not
   * to spend the default 30 s per pod in it (WebsocketDrainTest covers draining with real connections).
   */
  public static final Drain QUICK_DRAIN = new Drain(null, new Drain.Watch(null, null, new Drain.WaitWatch("0s")), "1m", 3,
      "0s");

  private Applications() {}

  /** A chat server with a websocket port exposed on the Service's port 80. */
  public static Application chat(String namespace, String image, int replicas) {
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("chat").withNamespace(namespace).build());
    app.setSpec(new ApplicationSpec(
        null,
        replicas,
        new PodTemplateSpecBuilder()
            .withNewSpec()
              .addNewContainer().withName("chat").withImage(image)
                .addNewPort().withName("ws").withContainerPort(8080).endPort()
              .endContainer()
            .endSpec()
            .build(),
        new ApplicationService(ApplicationService.ServiceType.ClusterIP, List.of(
            new ServicePortBuilder().withName("ws").withPort(80).withTargetPort(new IntOrString("ws")).build())),
        null, QUICK_DRAIN, null, null));
    return app;
  }
}
