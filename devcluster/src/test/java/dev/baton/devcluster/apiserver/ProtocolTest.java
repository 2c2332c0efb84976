package dev.baton.devcluster.apiserver;

import static dev.baton.devcluster.apiserver.ApiTestSupport.deployment;
import static dev.baton.devcluster.apiserver.ApiTestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.devcluster.validation.CustomResourceValidator;
import dev.baton.devcluster.validation.CustomResourceValidator.FieldError;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What kubectl and other HTTP clients see: discovery, tables, chunked watches, validation errors, the request log. */
@Timeout(20)
class ProtocolTest {

  static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
  static final ResourceDefinitionContext GADGETS = new ResourceDefinitionContext.Builder()
      .withGroup("example.com").withVersion("v1").withPlural("gadgets").withKind("Gadget").withNamespaced(true).build();

  static EmbeddedApiServer api;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    api = EmbeddedApiServer.start("127.0.0.1", 0);
    client = api.newClient();
    client.apiextensions().v1().customResourceDefinitions().resource(gadgetCrd()).create();
    // The test validator: size must not be negative; color defaults to "blue"; unknown "legacy" warns.
    api.setCustomResourceValidator((crd, object, old, fieldValidation) -> {
      ObjectNode stored = object.deepCopy();
      if (!stored.path("spec").has("color")) {
        stored.with("spec").put("color", "blue");
      }
      int size = stored.path("spec").path("size").asInt(0);
      List<FieldError> errors = size < 0
          ? List.of(new FieldError("spec.size", "Invalid value", "should be greater than or equal to 0", String.valueOf(size)))
          : List.of();
      List<String> warnings = stored.path("spec").has("legacy") ? List.of("unknown field \"spec.legacy\"") : List.of();
      return new CustomResourceValidator.Result(stored, errors, warnings);
    });
  }

  @AfterAll
  static void stop() {
    client.close();
    api.close();
  }

  @Test
  void discoveryDescribesBuiltInKindsWithVerbsShortNamesAndSubresources() {
    JsonNode apps = Store.parse(send("GET", api.url() + "/apis/apps/v1", null, null, null).body());

    JsonNode deployments = find(apps.path("resources"), "deployments");
    assertThat(deployments.path("singularName").asText()).isEqualTo("deployment");
    assertThat(deployments.path("namespaced").asBoolean()).isTrue();
    assertThat(deployments.path("shortNames").toString()).contains("deploy");
    assertThat(deployments.path("verbs").toString()).contains("watch", "patch");
    assertThat(find(apps.path("resources"), "deployments/status").path("verbs").toString()).contains("update");
    assertThat(find(apps.path("resources"), "deployments/scale").path("kind").asText()).isEqualTo("Scale");
  }

  @Test
  void discoveryIncludesCustomResourcesFromStoredCrds() {
    HttpResponse<String> groups = send("GET", api.url() + "/apis", null, null, null);
    JsonNode resources = Store.parse(send("GET", api.url() + "/apis/example.com/v1", null, null, null).body());

    assertThat(groups.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(groups.body()).contains("\"example.com\"");
    assertThat(find(resources.path("resources"), "gadgets").path("shortNames").toString()).contains("gd");
    assertThat(find(resources.path("resources"), "gadgets/status").isMissingNode()).isFalse();
  }

  @Test
  void listAsTableHasPrinterColumnsAndPartialMetadata() {
    client.genericKubernetesResources(GADGETS).resource(gadget("table-1", 3)).create();

    JsonNode table = Store.parse(send("GET", api.url() + "/apis/example.com/v1/namespaces/default/gadgets?fieldSelector=metadata.name%3Dtable-1",
        null, TABLE, null).body());

    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("columnDefinitions").findValuesAsText("name")).containsExactly("Name", "Size", "Age");
    JsonNode row = table.path("rows").get(0);
    assertThat(row.path("cells").get(0).asText()).isEqualTo("table-1");
    assertThat(row.path("cells").get(1).asInt()).isEqualTo(3);
    assertThat(row.path("cells").get(2).asText()).matches("\\d+s");
    assertThat(row.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
  }

  @Test
  void deploymentTableShowsReadyUpToDateAvailable() {
    client.apps().deployments().resource(deployment("tabled")).create();

    JsonNode table = Store.parse(send("GET", api.url() + "/apis/apps/v1/namespaces/default/deployments/tabled", null,
        TABLE, null).body());

    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .startsWith("Name", "Ready", "Up-to-date", "Available", "Age");
    assertThat(table.path("rows").get(0).path("cells").get(1).asText()).isEqualTo("0/1");
  }

  @Test
  void chunkedWatchFromAResourceVersionSendsOnlyLaterEvents() throws Exception {
    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("before").endMetadata().build())
        .create();
    String listVersion = client.configMaps().list().getMetadata().getResourceVersion();
    List<String> lines = new CopyOnWriteArrayList<>();
    HttpResponse<java.io.InputStream> watch = ApiTestSupport.HTTP.send(HttpRequest.newBuilder(URI.create(api.url()
        + "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=" + listVersion)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8))) {
        in.lines().forEach(lines::add);
      } catch (Exception e) {
        // the stream ends when the test closes the server
      }
    });
    reader.setDaemon(true);
    reader.start();

    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("after").endMetadata().build())
        .create();

    await().atMost(Duration.ofSeconds(5)).until(() -> !lines.isEmpty());
    assertThat(watch.headers().firstValue("Content-Length")).isEmpty();
    assertThat(lines).hasSize(1);
    assertThat(Store.parse(lines.get(0)).path("type").asText()).isEqualTo("ADDED");
    assertThat(Store.parse(lines.get(0)).path("object").path("metadata").path("name").asText()).isEqualTo("after");
  }

  @Test
  void invalidCustomResourceIsRefusedWithTheApiServersStatus() {
    HttpResponse<String> response = send("POST", api.url() + "/apis/example.com/v1/namespaces/default/gadgets",
        "application/json", null, "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Gadget\","
            + "\"metadata\":{\"name\":\"bad\"},\"spec\":{\"size\":-1}}");

    assertThat(response.statusCode()).isEqualTo(422);
    JsonNode status = Store.parse(response.body());
    assertThat(status.path("reason").asText()).isEqualTo("Invalid");
    assertThat(status.path("message").asText()).isEqualTo(
        "Gadget.example.com \"bad\" is invalid: spec.size: Invalid value: -1: should be greater than or equal to 0");
    assertThat(status.path("details").path("kind").asText()).isEqualTo("Gadget");
    assertThat(status.path("details").path("group").asText()).isEqualTo("example.com");
    JsonNode cause = status.path("details").path("causes").get(0);
    assertThat(cause.path("reason").asText()).isEqualTo("FieldValueInvalid");
    assertThat(cause.path("field").asText()).isEqualTo("spec.size");
    assertThat(cause.path("message").asText()).isEqualTo("Invalid value: -1: should be greater than or equal to 0");
  }

  @Test
  void validatorDefaultsAreStoredAndWarningsReturned() {
    HttpResponse<String> response = send("POST", api.url() + "/apis/example.com/v1/namespaces/default/gadgets",
        "application/json", null, "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Gadget\","
            + "\"metadata\":{\"name\":\"defaulted\"},\"spec\":{\"size\":1,\"legacy\":true}}");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().allValues("Warning")).containsExactly("299 - \"unknown field \\\"spec.legacy\\\"\"");
    GenericKubernetesResource stored = client.genericKubernetesResources(GADGETS).withName("defaulted").get();
    assertThat(((Map<?, ?>) stored.getAdditionalProperties().get("spec")).get("color")).isEqualTo("blue");
  }

  @Test
  void patchesOfCustomResourcesAreValidatedAfterApplying() {
    client.genericKubernetesResources(GADGETS).resource(gadget("patched", 1)).create();

    HttpResponse<String> response = send("PATCH", api.url() + "/apis/example.com/v1/namespaces/default/gadgets/patched",
        "application/merge-patch+json", null, "{\"spec\":{\"size\":-5}}");

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat((Object) client.genericKubernetesResources(GADGETS).withName("patched").get().get("spec", "size"))
        .isEqualTo(1);
  }

  @Test
  void requestLogRecordsWrites() {
    api.requests().clear();

    client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("logged").endMetadata().build())
        .create();
    client.configMaps().withName("logged").get();

    assertThat(api.requests().writes()).extracting(RequestLog.Entry::method, RequestLog.Entry::path)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", "/api/v1/namespaces/default/configmaps"));
    assertThat(api.requests().all()).hasSize(2);
  }

  private static JsonNode find(JsonNode resources, String name) {
    for (JsonNode resource : resources) {
      if (resource.path("name").asText().equals(name)) {
        return resource;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static GenericKubernetesResource gadget(String name, int size) {
    return new GenericKubernetesResourceBuilder().withApiVersion("example.com/v1").withKind("Gadget")
        .withNewMetadata().withName(name).endMetadata()
        .addToAdditionalProperties("spec", Map.of("size", size)).build();
  }

  private static CustomResourceDefinition gadgetCrd() {
    return new CustomResourceDefinitionBuilder().withNewMetadata().withName("gadgets.example.com").endMetadata()
        .withNewSpec().withGroup("example.com").withScope("Namespaced")
        .withNewNames().withKind("Gadget").withPlural("gadgets").withSingular("gadget").withShortNames("gd").endNames()
        .addNewVersion().withName("v1").withServed(true).withStorage(true)
        .withNewSubresources().withNewStatus().endStatus().endSubresources()
        .addNewAdditionalPrinterColumn().withName("Size").withType("integer").withJsonPath(".spec.size")
        .endAdditionalPrinterColumn()
        .addNewAdditionalPrinterColumn().withName("Age").withType("date").withJsonPath(".metadata.creationTimestamp")
        .endAdditionalPrinterColumn()
        .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema().endSchema()
        .endVersion().endSpec().build();
  }
}
