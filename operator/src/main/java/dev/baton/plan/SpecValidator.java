package dev.baton.plan;

import dev.baton.analysis.MeasurementJudge;
import dev.baton.api.AnalysisTemplate;
import dev.baton.api.Application;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.BlueGreenStrategy;
import dev.baton.resources.ImageReference;
import dev.baton.resources.Labels;
import dev.baton.resources.Names;
import dev.baton.resources.ServiceFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks the CRD schema and its CEL rules cannot make (or cannot afford within the API server's
 * CEL cost budget). A spec with problems is reported as {@code Ready=False, reason InvalidSpec}, and
 * Baton changes nothing in the cluster for it: an existing pool keeps running.
 */
public final class SpecValidator {

  private SpecValidator() {}

  public static List<SpecProblem> problems(Application app) {
    ApplicationSpec spec = app.getSpec();
    List<SpecProblem> problems = new ArrayList<>();
    if (spec == null || spec.template() == null || spec.template().getSpec() == null
        || spec.template().getSpec().getContainers() == null || spec.template().getSpec().getContainers().isEmpty()) {
      problems.add(new SpecProblem("spec.template.spec.containers",
          "the pod template has no container; add at least one, with an image such as registry.example.com/app:1.0.0"));
      return problems;
    }
    List<Container> containers = spec.template().getSpec().getContainers();
    checkImages(containers, problems);
    checkVersion(app, spec, problems);
    checkTemplateLabels(spec, problems);
    checkServicePorts(app, containers, problems);
    checkAnalysisConditions(spec, problems);
    checkPrePromotionAnalysis(spec, problems);
    return problems;
  }

  /** A blue-green analysis names a template that must exist: found missing mid-release, it would roll back. */
  private static void checkPrePromotionAnalysis(ApplicationSpec spec, List<SpecProblem> problems) {
    BlueGreenStrategy blueGreen = spec.strategyOrDefault().blueGreen();
    if (blueGreen != null && blueGreen.prePromotionAnalysis() != null
        && spec.analysisTemplate(blueGreen.prePromotionAnalysis()).isEmpty()) {
      problems.add(new SpecProblem("spec.strategy.blueGreen.prePromotionAnalysis", "names the analysis template '"
          + blueGreen.prePromotionAnalysis() + "', which is not in spec.analysis.templates; add it there or fix the name"));
    }
  }

  /** CEL conditions are compiled here, since the CRD cannot: a typo would otherwise fail only mid-release. */
  private static void checkAnalysisConditions(ApplicationSpec spec, List<SpecProblem> problems) {
    List<AnalysisTemplate> templates = spec.analysisTemplates();
    for (int i = 0; i < templates.size(); i++) {
      String field = "spec.analysis.templates[" + i + "].";
      AnalysisTemplate template = templates.get(i);
      if (template.successCondition() != null) {
        MeasurementJudge.problemWith(template.successCondition()).ifPresent(problem ->
            problems.add(new SpecProblem(field + "successCondition", "is not a valid CEL expression: " + problem)));
      }
      if (template.failureCondition() != null) {
        MeasurementJudge.problemWith(template.failureCondition()).ifPresent(problem ->
            problems.add(new SpecProblem(field + "failureCondition", "is not a valid CEL expression: " + problem)));
      }
    }
  }

  private static void checkImages(List<Container> containers, List<SpecProblem> problems) {
    for (int i = 0; i < containers.size(); i++) {
      String image = containers.get(i).getImage();
      String field = "spec.template.spec.containers[" + i + "].image";
      if (image == null || image.isBlank()) {
        problems.add(new SpecProblem(field, "no image given; name one with an explicit tag, e.g. registry.example.com/app:1.0.0"));
      } else if (!ImageReference.parse(image).isPinned()) {
        problems.add(new SpecProblem(field, "'" + image + "' has no tag or uses 'latest'; Baton releases explicit versions"
            + " only: use a tag such as :1.4.2 or a digest such as @sha256:..."));
      }
    }
  }

  private static void checkVersion(Application app, ApplicationSpec spec, List<SpecProblem> problems) {
    String field = spec.version() != null ? "spec.version" : "spec.template.spec.containers[0].image";
    VersionResolver.resolve(spec).ifPresent(version ->
        Names.versionProblem(app.getMetadata().getName(), version).ifPresent(problem ->
            problems.add(new SpecProblem(field, problem + "; set spec.version to a shorter name such as 1.4.2"))));
  }

  private static void checkTemplateLabels(ApplicationSpec spec, List<SpecProblem> problems) {
    Map<String, String> labels = spec.template().getMetadata() == null ? null : spec.template().getMetadata().getLabels();
    if (labels == null) {
      return;
    }
    labels.keySet().stream()
        .filter(key -> key.startsWith(Labels.RESERVED_PREFIX) || key.equals(Labels.VERSION))
        .sorted()
        .forEach(key -> problems.add(new SpecProblem("spec.template.metadata.labels",
            "label '" + key + "' is set by Baton on every pod; remove it from the template")));
  }

  private static void checkServicePorts(Application app, List<Container> containers, List<SpecProblem> problems) {
    Set<String> namedPorts = containers.stream()
        .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
        .map(ContainerPort::getName)
        .filter(Objects::nonNull)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
    List<ServicePort> declared = app.getSpec().serviceOrDefault().portsOrEmpty();
    for (int i = 0; i < declared.size(); i++) {
      IntOrString target = declared.get(i).getTargetPort();
      if (target != null && target.getStrVal() != null && !namedPorts.contains(target.getStrVal())) {
        problems.add(new SpecProblem("spec.service.ports[" + i + "].targetPort",
            "no container declares a port named '" + target.getStrVal() + "'"
                + (namedPorts.isEmpty() ? "; name a container port or use a number"
                    : "; named ports are: " + String.join(", ", namedPorts))));
      }
    }
    if (ServiceFactory.ports(app).isEmpty()) {
      problems.add(new SpecProblem("spec.service.ports",
          "the Service would have no port: declare spec.service.ports, or name a port of the first container"));
    }
  }
}
