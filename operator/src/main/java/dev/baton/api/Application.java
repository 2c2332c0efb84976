package dev.baton.api;

import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * What should run and how releases of it happen. Baton turns it into one Deployment per live version
 * ({@code <app>-<version>}) and the Services that route to them, and releases a new version through a
 * {@link Canary}.
 */
@Group(Application.GROUP)
@Version(Application.VERSION)
@ShortNames("app")
@Categories("baton")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
    value = "!has(self.spec.version) || self.metadata.name.size() + 1 + self.spec.version.size() <= 63",
    message = "metadata.name and spec.version together are too long: the Deployment <name>-<version> must be at most 63"
        + " characters; choose a shorter spec.version")
@ValidationRule(
    value = "self.metadata.name.size() <= " + Application.MAX_NAME_LENGTH,
    message = "metadata.name must be at most " + Application.MAX_NAME_LENGTH
        + " characters: Baton appends '-canary' or '-preview' to it for Service names, which Kubernetes limits to 63")
public class Application extends CustomResource<ApplicationSpec, ApplicationStatus> implements Namespaced {

  public static final String GROUP = "baton.dev";
  public static final String VERSION = "v1alpha1";
  /** 63 (a Service name, RFC 1035 label) minus the longest suffix Baton appends ("-preview"). */
  public static final int MAX_NAME_LENGTH = 55;

  @Override
  protected ApplicationStatus initStatus() {
    return null;
  }
}
