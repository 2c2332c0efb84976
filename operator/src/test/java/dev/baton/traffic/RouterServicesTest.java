package dev.baton.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.Application;
import dev.baton.resources.Labels;
import dev.baton.resources.ServiceFactory;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterServicesTest {

  @Test
  void theRouterServicesSelectOneVersionsServingPodsOnTheStableServicesPorts() {
    Application app = Routes.chat("realtime", null);

    Service stable = RouterServices.stable(app, "1.4.2");
    Service canary = RouterServices.canary(app, "1.4.3");

    assertThat(stable.getMetadata().getName()).isEqualTo("chat-stable");
    assertThat(stable.getSpec().getSelector()).isEqualTo(Map.of(
        "baton.dev/application", "chat", "baton.dev/version", "1.4.2", "baton.dev/serving", "true"));
    assertThat(canary.getMetadata().getName()).isEqualTo("chat-canary");
    assertThat(canary.getSpec().getSelector()).containsEntry("baton.dev/version", "1.4.3");
    for (Service service : new Service[] {stable, canary}) {
      assertThat(service.getSpec().getPorts()).isEqualTo(ServiceFactory.stable(app).getSpec().getPorts());
      assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
      assertThat(service.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "baton");
      assertThat(service.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(owner -> assertThat(owner.getUid()).isEqualTo("uid-chat"));
    }
  }

  @Test
  void betweenReleasesBothSelectTheStableVersion() {
    Application app = Routes.chat("realtime", null);

    assertThat(new GatewayApiRoutes().services(app, "1.4.2", "1.4.2"))
        .extracting(s -> s.getSpec().getSelector().get("baton.dev/version"))
        .containsExactly("1.4.2", "1.4.2");
  }
}
