package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Server-side printing: answers {@code Accept: application/json;as=Table;g=meta.k8s.io;v=v1} with a
 * {@code meta.k8s.io/v1 Table}, which kubectl prints as its default output
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables).
 *
 * <p>Custom resources get Name then the CRD version's {@code additionalPrinterColumns} evaluated by JSONPath, or a
 * lone Age column when none are declared (apiextensions-apiserver's tableconvertor and
 * {@code serveDefaultColumnsIfEmpty}). Built-in kinds get the columns kubectl users know from the real server's
 * printers (pkg/printers/internalversion/printers.go) for the kinds Baton uses; others get Name and Age.
 * Rows carry a {@code PartialObjectMetadata} unless {@code includeObject=Object} (or nothing for {@code None}).
 */
final class TableConverter {

  /** One column: its definition and how a cell is computed. */
  private record Column(String name, String type, String format, int priority, String description,
      Function<JsonNode, Object> cell) {}

  private static final Column NAME = new Column("Name", "string", "name", 0,
      "Name must be unique within a namespace.", o -> o.path("metadata").path("name").asText());
  private static final String AGE_DESCRIPTION =
      "CreationTimestamp is a timestamp representing the server time when this object was created.";

  private final Instant now;

  TableConverter(Instant now) {
    this.now = now;
  }

  /**
   * @param crd the CRD of a custom resource, or {@code null} for built-in kinds
   * @param withColumnDefinitions false for every watch event after the first, as the real server's watch encoder
   */
  ObjectNode table(ResourceType type, JsonNode crd, List<? extends JsonNode> objects, String includeObject,
      String resourceVersion, boolean withColumnDefinitions) {
    List<Column> columns = columns(type, crd);
    ObjectNode table = Store.JSON.createObjectNode();
    table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    if (resourceVersion != null) {
      metadata.put("resourceVersion", resourceVersion);
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    if (withColumnDefinitions) {
      for (Column column : columns) {
        definitions.addObject()
            .put("name", column.name())
            .put("type", column.type())
            .put("format", column.format())
            .put("description", column.description())
            .put("priority", column.priority());
      }
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column column : columns) {
        cells.addPOJO(column.cell().apply(object));
      }
      switch (includeObject == null ? "Metadata" : includeObject) {
        case "None" -> { }
        case "Object" -> row.set("object", object);
        default -> row.set("object", partialObjectMetadata(object));
      }
    }
    return table;
  }

  private static ObjectNode partialObjectMetadata(JsonNode object) {
    ObjectNode partial = Store.JSON.createObjectNode();
    partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
    partial.set("metadata", object.path("metadata").deepCopy());
    return partial;
  }

  private List<Column> columns(ResourceType type, JsonNode crd) {
    if (crd != null) {
      return customColumns(type, crd);
    }
    return switch (type.qualifiedPlural()) {
      case "pods" -> List.of(NAME, col("Ready", TableConverter::podReady), col("Status", TableConverter::podStatus),
          col("Restarts", "integer", 0, o -> sum(o.path("status").path("containerStatuses"), "restartCount")),
          age(), col("IP", "string", 1, o -> text(o, ".status.podIP")), col("Node", "string", 1,
              o -> text(o, ".spec.nodeName")));
      case "deployments.apps" -> List.of(NAME,
          col("Ready", o -> o.path("status").path("readyReplicas").asInt(0) + "/" + o.path("spec").path("replicas").asInt(1)),
          col("Up-to-date", "integer", 0, o -> o.path("status").path("updatedReplicas").asInt(0)),
          col("Available", "integer", 0, o -> o.path("status").path("availableReplicas").asInt(0)),
          age(), col("Containers", "string", 1, o -> join(o, ".spec.template.spec.containers[*].name")),
          col("Images", "string", 1, o -> join(o, ".spec.template.spec.containers[*].image")),
          col("Selector", "string", 1, o -> selector(o.path("spec").path("selector").path("matchLabels"))));
      case "replicasets.apps", "statefulsets.apps" -> List.of(NAME,
          col("Desired", "integer", 0, o -> o.path("spec").path("replicas").asInt(1)),
          col("Current", "integer", 0, o -> o.path("status").path("replicas").asInt(0)),
          col("Ready", "integer", 0, o -> o.path("status").path("readyReplicas").asInt(0)),
          age(), col("Containers", "string", 1, o -> join(o, ".spec.template.spec.containers[*].name")),
          col("Images", "string", 1, o -> join(o, ".spec.template.spec.containers[*].image")));
      case "services" -> List.of(NAME, col("Type", o -> o.path("spec").path("type").asText("ClusterIP")),
          col("Cluster-IP", o -> o.path("spec").path("clusterIP").asText("<none>")),
          col("External-IP", o -> "<none>"), col("Port(s)", TableConverter::servicePorts), age(),
          col("Selector", "string", 1, o -> selector(o.path("spec").path("selector"))));
      case "configmaps" -> List.of(NAME, col("Data", "integer", 0,
          o -> o.path("data").size() + o.path("binaryData").size()), age());
      case "secrets" -> List.of(NAME, col("Type", o -> o.path("type").asText("Opaque")),
          col("Data", "integer", 0, o -> o.path("data").size() + o.path("stringData").size()), age());
      case "namespaces" -> List.of(NAME, col("Status", o -> o.has("metadata") && o.path("metadata").has("deletionTimestamp")
          ? "Terminating" : o.path("status").path("phase").asText("Active")), age());
      case "leases.coordination.k8s.io" -> List.of(NAME, col("Holder", o -> o.path("spec").path("holderIdentity").asText("")), age());
      case "endpoints" -> List.of(NAME, col("Endpoints", TableConverter::endpoints), age());
      default -> List.of(NAME, age());
    };
  }

  private List<Column> customColumns(ResourceType type, JsonNode crd) {
    List<Column> columns = new ArrayList<>();
    columns.add(NAME);
    JsonNode declared = null;
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("name").asText().equals(type.version())) {
        declared = version.path("additionalPrinterColumns");
      }
    }
    if (declared == null || declared.isEmpty()) {
      columns.add(age());
      return columns;
    }
    for (JsonNode column : declared) {
      String columnType = column.path("type").asText("string");
      String jsonPath = column.path("jsonPath").asText();
      columns.add(new Column(column.path("name").asText(), columnType, column.path("format").asText(""),
          column.path("priority").asInt(0), column.path("description").asText(""),
          o -> customCell(o, jsonPath, columnType)));
    }
    return columns;
  }

  /** cellForJSONValue: integers and numbers stay numbers, booleans booleans, dates become ages. */
  private Object customCell(JsonNode object, String jsonPath, String columnType) {
    List<JsonNode> values = SimpleJsonPath.evaluate(object, jsonPath);
    if (values.isEmpty()) {
      return null;
    }
    JsonNode value = values.get(0);
    return switch (columnType) {
      case "integer" -> value.canConvertToLong() ? value.asLong() : null;
      case "number" -> value.isNumber() ? value.asDouble() : null;
      case "boolean" -> value.isBoolean() ? value.asBoolean() : null;
      case "date" -> age(value.asText());
      default -> values.size() == 1 ? (value.isValueNode() ? value.asText() : value.toString())
          : String.join(",", values.stream().map(v -> v.isValueNode() ? v.asText() : v.toString()).toList());
    };
  }

  private Column age() {
    return new Column("Age", "string", "", 0, AGE_DESCRIPTION,
        o -> age(o.path("metadata").path("creationTimestamp").asText(null)));
  }

  private String age(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return humanDuration(Duration.between(Instant.parse(timestamp), now));
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }

  /** k8s.io/apimachinery/pkg/util/duration.HumanDuration: the form of kubectl's AGE column. */
  static String humanDuration(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    } else if (seconds < 0) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = d.toMinutes();
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = d.toHours();
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }

  private static Column col(String name, Function<JsonNode, Object> cell) {
    return col(name, "string", 0, cell);
  }

  private static Column col(String name, String type, int priority, Function<JsonNode, Object> cell) {
    return new Column(name, type, "", priority, "", cell);
  }

  private static String podReady(JsonNode pod) {
    int ready = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      ready += status.path("ready").asBoolean(false) ? 1 : 0;
    }
    return ready + "/" + pod.path("spec").path("containers").size();
  }

  /** The STATUS column of kubectl get pods: Terminating, a container's waiting/terminated reason, or the phase. */
  private static String podStatus(JsonNode pod) {
    if (pod.path("metadata").has("deletionTimestamp")) {
      return "Terminating";
    }
    String reason = pod.path("status").path("reason").asText(pod.path("status").path("phase").asText("Pending"));
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      JsonNode state = status.path("state");
      if (state.path("waiting").has("reason")) {
        reason = state.path("waiting").path("reason").asText();
      } else if (state.path("terminated").has("reason")) {
        reason = state.path("terminated").path("reason").asText();
      }
    }
    return reason;
  }

  private static String servicePorts(JsonNode service) {
    List<String> ports = new ArrayList<>();
    for (JsonNode port : service.path("spec").path("ports")) {
      String nodePort = port.has("nodePort") ? ":" + port.path("nodePort").asInt() : "";
      ports.add(port.path("port").asInt() + nodePort + "/" + port.path("protocol").asText("TCP"));
    }
    return ports.isEmpty() ? "<none>" : String.join(",", ports);
  }

  private static String endpoints(JsonNode endpoints) {
    List<String> addresses = new ArrayList<>();
    for (JsonNode subset : endpoints.path("subsets")) {
      for (JsonNode address : subset.path("addresses")) {
        for (JsonNode port : subset.path("ports")) {
          addresses.add(address.path("ip").asText() + ":" + port.path("port").asInt());
        }
      }
    }
    return addresses.isEmpty() ? "<none>" : String.join(",", addresses);
  }

  private static int sum(JsonNode array, String field) {
    int total = 0;
    for (JsonNode element : array) {
      total += element.path(field).asInt(0);
    }
    return total;
  }

  private static String text(JsonNode object, String path) {
    List<JsonNode> values = SimpleJsonPath.evaluate(object, path);
    return values.isEmpty() ? "<none>" : values.get(0).asText();
  }

  private static String join(JsonNode object, String path) {
    return String.join(",", SimpleJsonPath.evaluate(object, path).stream().map(JsonNode::asText).toList());
  }

  private static String selector(JsonNode labels) {
    List<String> pairs = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> label = it.next();
      pairs.add(label.getKey() + "=" + label.getValue().asText());
    }
    return pairs.isEmpty() ? "<none>" : String.join(",", pairs);
  }
}
