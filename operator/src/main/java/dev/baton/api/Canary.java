package dev.baton.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One release of an {@link Application} from one version to another. Baton creates it, owned by the
 * Application, when the version changes: it is the record of that release and the place where a user
 * promotes, pauses, resumes or aborts it, never a second source of the desired version.
 *
 * <p>Actions are set with the annotation {@value #ACTION_ANNOTATION} (promote, promote-full, pause,
 * resume, abort, retry), so a GitOps tool that owns the Application never sees a diff.
 */
@Group(Application.GROUP)
@Version(Application.VERSION)
@ShortNames("cnry")
@Categories("baton")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Canary extends CustomResource<CanarySpec, CanaryStatus> implements Namespaced {

  public static final String ACTION_ANNOTATION = "baton.dev/action";

  @Override
  protected CanaryStatus initStatus() {
    return null;
  }
}
