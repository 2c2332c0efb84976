package dev.baton.devcluster.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.devcluster.validation.CustomResourceValidator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What the real API server does with a resource request, in front of the CRUD store: routes on the path (never the
 * query string), and for writes decides what gets stored the way the API server's generic registry does
 * (k8s.io/apiserver/pkg/registry/generic/registry/store.go):
 * <ul>
 *   <li>metadata the server owns (uid, creationTimestamp, resourceVersion, generation, deletionTimestamp) is set by
 *       the server and cannot be written by clients;
 *   <li>optimistic locking on every write that carries a resourceVersion, {@code /status} included: a stale one is a
 *       409 Conflict;
 *   <li>status subresources: a write to the main resource keeps the stored status, a write to {@code /status}
 *       changes only status; {@code metadata.generation} moves only when something outside metadata and status
 *       changes;
 *   <li>{@code /scale} for kinds that declare it, so {@code kubectl scale} works;
 *   <li>deletion: finalizers hold objects with a deletionTimestamp; pods are deleted gracefully; propagationPolicy
 *       is honoured with the {@link GarbageCollector}; {@code dryRun=All} writes nothing;
 *   <li>custom resources go through the {@link CustomResourceValidator} before they are stored.
 * </ul>
 */
final class ApiFront {

  /** The grace period of a pod that declares none (PodSpec.terminationGracePeriodSeconds' default). */
  static final long DEFAULT_POD_GRACE_SECONDS = 30;

  private final Store store;
  private final ResourceCatalog catalog;
  private final Discovery discovery;
  private final OpenApiDocuments openApi;
  private final WatchHub watches;
  private volatile GarbageCollector garbageCollector;
  private volatile CustomResourceValidator validator;
  private final String serverAddress;

  ApiFront(Store store, ResourceCatalog catalog, WatchHub watches, String serverAddress) {
    this.store = store;
    this.catalog = catalog;
    this.discovery = new Discovery(catalog);
    this.openApi = new OpenApiDocuments(catalog);
    this.watches = watches;
    this.serverAddress = serverAddress;
  }

  void setGarbageCollector(GarbageCollector garbageCollector) {
    this.garbageCollector = garbageCollector;
  }

  void setValidator(CustomResourceValidator validator) {
    this.validator = validator;
  }

  // ---------------------------------------------------------------- routing

  ApiResponse handle(ApiRequest request) {
    try {
      if (request.method().equals("GET")) {
        Optional<String> discovered = discovery.answer(request.path(), serverAddress);
        if (discovered.isPresent()) {
          return ApiResponse.ok(discovered.get());
        }
      }
      if (request.path().startsWith("/openapi/")) {
        return openApi.answer(request.path()).map(ApiResponse::ok).orElseThrow(ApiException::notFound);
      }
      ResourceRef ref = ResourceRef.parse(request.path()).orElseThrow(ApiException::notFound);
      ResourceType type = catalog.find(ref.group(), ref.version(), ref.plural()).orElseThrow(ApiException::notFound);
      if (ResourceCatalog.isReview(type)) {
        if (!request.method().equals("POST")) {
          throw ApiException.methodNotAllowed(request.method());
        }
        return AccessReviews.answer(type, request.body());
      }
      if (ref.subresource() != null && !ref.subresource().equals("status") && !ref.subresource().equals("scale")
          || "status".equals(ref.subresource()) && !type.statusSubresource()
          || "scale".equals(ref.subresource()) && type.scale() == null) {
        throw ApiException.notFound();
      }
      List<String> warnings = new ArrayList<>();
      ApiResponse response = switch (request.method()) {
        case "GET" -> ref.isCollection() ? list(type, ref, request) : get(type, ref, request);
        case "POST" -> create(type, ref, request, warnings);
        case "PUT" -> update(type, ref, request, warnings);
        case "PATCH" -> patch(type, ref, request, warnings);
        case "DELETE" -> ref.isCollection() ? deleteCollection(type, ref, request) : delete(type, ref, request);
        default -> throw ApiException.methodNotAllowed(request.method());
      };
      return response.withWarnings(warnings);
    } catch (ApiException e) {
      return e.toResponse();
    }
  }

  // ---------------------------------------------------------------- reads

  private ApiResponse get(ResourceType type, ResourceRef ref, ApiRequest request) {
    ObjectNode object = store.get(ref).orElseThrow(() -> ApiException.notFound(type, ref.name()));
    if ("scale".equals(ref.subresource())) {
      return ApiResponse.ok(scaleOf(type, object).toString());
    }
    if (request.wantsTable()) {
      return ApiResponse.ok(tables().table(type, crdOf(type), List.of(object), request.query("includeObject"),
          object.path("metadata").path("resourceVersion").asText(), true).toString());
    }
    return ApiResponse.ok(object.toString());
  }

  private ApiResponse list(ResourceType type, ResourceRef ref, ApiRequest request) {
    return store.atomically(() -> {
      Predicate<JsonNode> selected = Selectors.of(request.query("labelSelector"), request.query("fieldSelector"));
      List<ObjectNode> items = store.list(ref).stream()
          .map(Store.Stored::object)
          .filter(selected)
          .sorted(Comparator.comparing((ObjectNode o) -> o.path("metadata").path("namespace").asText())
              .thenComparing(o -> o.path("metadata").path("name").asText()))
          .toList();
      String resourceVersion = String.valueOf(store.currentResourceVersion());
      if (request.wantsTable()) {
        return ApiResponse.ok(tables().table(type, crdOf(type), items, request.query("includeObject"), resourceVersion,
            true).toString());
      }
      ObjectNode list = Store.JSON.createObjectNode();
      list.put("apiVersion", type.apiVersion()).put("kind", type.kind() + "List");
      list.putObject("metadata").put("resourceVersion", resourceVersion);
      list.putArray("items").addAll(items);
      return ApiResponse.ok(list.toString());
    });
  }

  /**
   * Opens a watch for a GET with {@code watch=true}; each frame is one {@code WatchEvent} JSON document. With
   * {@code as=Table}, each event's object is a one-row Table, with column definitions only in the first event.
   */
  WatchHub.Subscription watch(ApiRequest request, Consumer<String> frames) {
    ResourceRef ref = ResourceRef.parse(request.path()).orElseThrow(ApiException::notFound);
    ResourceType type = catalog.find(ref.group(), ref.version(), ref.plural()).orElseThrow(ApiException::notFound);
    Predicate<JsonNode> selector = Selectors.of(request.query("labelSelector"), request.query("fieldSelector"));
    if (ref.name() != null) {
      selector = selector.and(o -> ref.name().equals(o.path("metadata").path("name").asText()));
    }
    boolean table = request.wantsTable();
    JsonNode crd = table ? crdOf(type) : null;
    AtomicBoolean first = new AtomicBoolean(true);
    String includeObject = request.query("includeObject");
    return watches.subscribe(new WatchHub.Filter(type, ref.namespace(), selector), request.query("resourceVersion"),
        frame -> {
          JsonNode object = frame.object();
          if (table) {
            object = tables().table(type, crd, List.of(frame.object()), includeObject,
                frame.object().path("metadata").path("resourceVersion").asText(), first.getAndSet(false));
          }
          ObjectNode event = Store.JSON.createObjectNode().put("type", frame.type());
          event.set("object", object);
          frames.accept(event.toString());
        });
  }

  // ---------------------------------------------------------------- writes

  private ApiResponse create(ResourceType type, ResourceRef ref, ApiRequest request, List<String> warnings) {
    if (!ref.isCollection()) {
      throw ApiException.methodNotAllowed("POST");
    }
    return store.atomically(() -> ApiResponse.of(201,
        createObject(type, ref, body(request), request, warnings).toString()));
  }

  private ObjectNode createObject(ResourceType type, ResourceRef collection, ObjectNode object, ApiRequest request,
      List<String> warnings) {
    ObjectNode metadata = object.with("metadata");
    if (type.namespaced() && collection.namespace() == null) {
      throw ApiException.notFound();
    }
    String namespace = type.namespaced() ? collection.namespace() : null;
    if (namespace != null && metadata.hasNonNull("namespace") && !metadata.path("namespace").asText().equals(namespace)) {
      throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the "
          + "request");
    }
    String name = metadata.path("name").asText("");
    if (name.isEmpty()) {
      String generateName = metadata.path("generateName").asText("");
      if (generateName.isEmpty()) {
        throw ApiException.invalid(type, "", "metadata.name", "name or generateName is required");
      }
      // generateName: the prefix plus five random characters, as names.SimpleNameGenerator does.
      do {
        name = generateName + randomSuffix();
      } while (store.get(collection.withName(name)).isPresent());
    }
    ResourceRef ref = new ResourceRef(type.group(), type.version(), namespace, type.plural(), name, null);
    if (store.get(ref).isPresent()) {
      throw ApiException.alreadyExists(type, name);
    }
    object.put("apiVersion", type.apiVersion()).put("kind", type.kind());
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    } else {
      metadata.remove("namespace");
    }
    metadata.put("uid", UUID.randomUUID().toString());
    metadata.put("creationTimestamp", timestamp(Instant.now()));
    metadata.put("generation", 1);
    metadata.remove(List.of("deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink"));
    initialStatus(type, object);
    ObjectNode toStore = validated(type, object, null, request, warnings);
    toStore.with("metadata").put("resourceVersion", request.dryRun() ? "" : String.valueOf(store.nextResourceVersion()));
    if (!request.dryRun()) {
      store.create(ref, toStore);
    }
    return toStore;
  }

  /**
   * The status a new object starts with: the server ignores a client's status when the kind has a status
   * subresource (the strategies' PrepareForCreate); pods start Pending, namespaces Active, CRDs Established (the
   * apiextensions controllers would set that within milliseconds).
   */
  private static void initialStatus(ResourceType type, ObjectNode object) {
    if (!type.statusSubresource()) {
      return;
    }
    object.remove("status");
    switch (type.qualifiedPlural()) {
      case "pods" -> object.putObject("status").put("phase", "Pending");
      case "namespaces" -> object.putObject("status").put("phase", "Active");
      case "customresourcedefinitions.apiextensions.k8s.io" -> object.set("status", establishedCrdStatus(object));
      default -> {
        if (type.group().isEmpty() || !type.group().contains(".") || type.group().endsWith(".k8s.io")) {
          object.putObject("status");
        }
      }
    }
  }

  private static ObjectNode establishedCrdStatus(ObjectNode crd) {
    ObjectNode status = Store.JSON.createObjectNode();
    status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
    ArrayNode conditions = status.putArray("conditions");
    String now = timestamp(Instant.now());
    for (String condition : List.of("NamesAccepted", "Established")) {
      conditions.addObject().put("type", condition).put("status", "True").put("lastTransitionTime", now)
          .put("reason", condition.equals("Established") ? "InitialNamesAccepted" : "NoConflicts")
          .put("message", condition.equals("Established") ? "the initial names have been accepted"
              : "no conflicts found");
    }
    ArrayNode stored = status.putArray("storedVersions");
    for (JsonNode version : crd.path("spec").path("versions")) {
      if (version.path("storage").asBoolean(false)) {
        stored.add(version.path("name").asText());
      }
    }
    return status;
  }

  private ApiResponse update(ResourceType type, ResourceRef ref, ApiRequest request, List<String> warnings) {
    if (ref.isCollection()) {
      throw ApiException.methodNotAllowed("PUT");
    }
    return store.atomically(() -> {
      ObjectNode current = store.get(ref).orElseThrow(() -> ApiException.notFound(type, ref.name()));
      ObjectNode proposed = body(request);
      if ("scale".equals(ref.subresource())) {
        return ApiResponse.ok(writeScale(type, ref, current, proposed, request, warnings).toString());
      }
      return ApiResponse.ok(write(type, ref, current, proposed, request, warnings).toString());
    });
  }

  private ApiResponse patch(ResourceType type, ResourceRef ref, ApiRequest request, List<String> warnings) {
    if (ref.isCollection()) {
      throw ApiException.methodNotAllowed("PATCH");
    }
    Patches.Type patchType = Patches.typeOf(request.header("content-type"));
    boolean custom = crdOf(type) != null;
    if (patchType == Patches.Type.STRATEGIC && custom) {
      // Strategic merge needs Go struct tags; the real server refuses it for custom resources.
      throw ApiException.unsupportedMediaType(request.header("content-type"));
    }
    JsonNode patch = Patches.parse(patchType, request.body());
    return store.atomically(() -> {
      Optional<ObjectNode> stored = store.get(ref);
      if (stored.isEmpty()) {
        if (patchType == Patches.Type.APPLY && ref.subresource() == null && patch.isObject()) {
          // Server-side apply creates what does not exist yet.
          ObjectNode created = createObject(type, ref.withName(null), ((ObjectNode) patch).deepCopy()
              .<ObjectNode>set("metadata", ((ObjectNode) patch.path("metadata")).deepCopy().put("name", ref.name())),
              request, warnings);
          return ApiResponse.of(201, created.toString());
        }
        throw ApiException.notFound(type, ref.name());
      }
      ObjectNode current = stored.get();
      Patches.Type effective = patchType == Patches.Type.APPLY && custom ? Patches.Type.MERGE : patchType;
      if ("scale".equals(ref.subresource())) {
        JsonNode patchedScale = Patches.apply(effective, scaleOf(type, current), patch);
        return ApiResponse.ok(writeScale(type, ref, current, asObject(patchedScale), request, warnings).toString());
      }
      JsonNode patched = Patches.apply(effective, current, patch);
      return ApiResponse.ok(write(type, ref, current, asObject(patched), request, warnings).toString());
    });
  }

  /**
   * The core of every update: what a PUT, a patch (after it was applied) or a status write stores. Must run inside
   * {@link Store#atomically}.
   */
  private ObjectNode write(ResourceType type, ResourceRef ref, ObjectNode current, ObjectNode proposed,
      ApiRequest request, List<String> warnings) {
    String currentVersion = current.path("metadata").path("resourceVersion").asText();
    String proposedVersion = proposed.path("metadata").path("resourceVersion").asText("");
    if (!proposedVersion.isEmpty() && !proposedVersion.equals(currentVersion)) {
      throw ApiException.conflict(type, ref.name());
    }
    String proposedName = proposed.path("metadata").path("name").asText("");
    if (!proposedName.isEmpty() && !proposedName.equals(ref.name())) {
      throw ApiException.badRequest("the name of the object (" + proposedName + ") does not match the name on the URL ("
          + ref.name() + ")");
    }
    boolean statusWrite = "status".equals(ref.subresource());
    ObjectNode next;
    if (statusWrite) {
      // PUT/PATCH on /status: "ignore changes to anything except the status stanza".
      next = current.deepCopy();
      copyField(proposed, next, "status");
    } else {
      next = proposed.deepCopy();
      if (type.statusSubresource()) {
        // The main resource's endpoint ignores status changes when a status subresource exists.
        copyField(current, next, "status");
      }
    }
    next.put("apiVersion", type.apiVersion()).put("kind", type.kind());
    ObjectNode metadata = next.with("metadata");
    ObjectNode currentMetadata = (ObjectNode) current.path("metadata");
    for (String owned : List.of("name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp",
        "deletionGracePeriodSeconds", "resourceVersion")) {
      copyField(currentMetadata, metadata, owned);
    }
    metadata.remove(List.of("managedFields", "selfLink"));
    if (next.equals(current)) {
      return current; // a no-op update leaves resourceVersion (and watchers) alone, as on the real server
    }
    if (!statusWrite && specChanged(type, current, next)) {
      metadata.put("generation", currentMetadata.path("generation").asLong(0) + 1);
    }
    next = validated(type, next, current, request, warnings);
    metadata = next.with("metadata");
    if (request != null && request.dryRun()) {
      return next;
    }
    metadata.put("resourceVersion", String.valueOf(store.nextResourceVersion()));
    if (isDeletable(next)) {
      // The last finalizer of an object being deleted is gone: the object goes now.
      store.remove(ref.withoutSubresource());
    } else {
      store.replace(ref.withoutSubresource(), current, next);
    }
    return next;
  }

  /** Anything outside metadata (and outside status, when status is a subresource) counts as spec for generation. */
  private static boolean specChanged(ResourceType type, ObjectNode before, ObjectNode after) {
    ObjectNode a = before.deepCopy();
    ObjectNode b = after.deepCopy();
    a.remove("metadata");
    b.remove("metadata");
    if (type.statusSubresource()) {
      a.remove("status");
      b.remove("status");
    }
    return !a.equals(b);
  }

  private static boolean isDeletable(JsonNode object) {
    JsonNode metadata = object.path("metadata");
    return metadata.has("deletionTimestamp") && metadata.path("finalizers").isEmpty()
        && metadata.path("deletionGracePeriodSeconds").asLong(0) == 0;
  }

  // ---------------------------------------------------------------- scale subresource

  /** The autoscaling/v1 Scale view of an object (https://kubernetes.io/docs/reference/kubernetes-api/.../scale-v1/). */
  private static ObjectNode scaleOf(ResourceType type, ObjectNode object) {
    ObjectNode scale = Store.JSON.createObjectNode();
    scale.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    ObjectNode metadata = scale.putObject("metadata");
    for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      copyField((ObjectNode) object.path("metadata"), metadata, field);
    }
    List<JsonNode> desired = SimpleJsonPath.evaluate(object, type.scale().specReplicasPath());
    List<JsonNode> current = SimpleJsonPath.evaluate(object, type.scale().statusReplicasPath());
    scale.putObject("spec").put("replicas", desired.isEmpty() ? 0 : desired.get(0).asInt());
    ObjectNode status = scale.putObject("status").put("replicas", current.isEmpty() ? 0 : current.get(0).asInt());
    String selector = labelSelectorOf(type, object);
    if (selector != null) {
      status.put("selector", selector);
    }
    return scale;
  }

  private static String labelSelectorOf(ResourceType type, ObjectNode object) {
    JsonNode matchLabels = object.path("spec").path("selector").path("matchLabels");
    if (matchLabels.isObject() && !type.group().isEmpty() && type.group().equals("apps")) {
      List<String> pairs = new ArrayList<>();
      matchLabels.fields().forEachRemaining(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
      return String.join(",", pairs);
    }
    String path = type.scale().labelSelectorPath();
    if (path == null) {
      return null;
    }
    List<JsonNode> values = SimpleJsonPath.evaluate(object, path);
    return values.isEmpty() ? null : values.get(0).asText();
  }

  private ObjectNode writeScale(ResourceType type, ResourceRef ref, ObjectNode current, ObjectNode scale,
      ApiRequest request, List<String> warnings) {
    String version = scale.path("metadata").path("resourceVersion").asText("");
    if (!version.isEmpty() && !version.equals(current.path("metadata").path("resourceVersion").asText())) {
      throw ApiException.conflict(type, ref.name());
    }
    ObjectNode next = current.deepCopy();
    setPath(next, type.scale().specReplicasPath(), scale.path("spec").path("replicas").asInt());
    ObjectNode stored = write(type, ref.withoutSubresource(), current, next, request, warnings);
    return scaleOf(type, stored);
  }

  private static void setPath(ObjectNode object, String path, int value) {
    String[] fields = path.replaceAll("^\\.", "").split("\\.");
    ObjectNode node = object;
    for (int i = 0; i < fields.length - 1; i++) {
      node = node.with(fields[i]);
    }
    node.put(fields[fields.length - 1], value);
  }

  // ---------------------------------------------------------------- deletion

  /** The options of a delete, from the query and the DeleteOptions body (the query wins, as in the real server). */
  private record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String uid, String resourceVersion,
      boolean dryRun) {

    static DeleteOptions of(ApiRequest request) {
      JsonNode body = request.body().isBlank() ? Store.JSON.createObjectNode() : Store.parse(request.body());
      Long grace = request.query("gracePeriodSeconds") != null ? Long.valueOf(request.query("gracePeriodSeconds"))
          : body.hasNonNull("gracePeriodSeconds") ? body.path("gracePeriodSeconds").asLong() : null;
      String policy = request.query("propagationPolicy") != null ? request.query("propagationPolicy")
          : body.path("propagationPolicy").asText(null);
      if (policy == null && (body.path("orphanDependents").asBoolean(false)
          || "true".equals(request.query("orphanDependents")))) {
        policy = "Orphan";
      }
      boolean dryRun = request.dryRun() || body.path("dryRun").toString().contains("All");
      return new DeleteOptions(grace, policy, body.path("preconditions").path("uid").asText(null),
          body.path("preconditions").path("resourceVersion").asText(null), dryRun);
    }
  }

  private ApiResponse delete(ResourceType type, ResourceRef ref, ApiRequest request) {
    if (ref.subresource() != null) {
      throw ApiException.methodNotAllowed("DELETE");
    }
    DeleteOptions options = DeleteOptions.of(request);
    return store.atomically(() -> ApiResponse.ok(deleteObject(type, ref, options).toString()));
  }

  private ApiResponse deleteCollection(ResourceType type, ResourceRef ref, ApiRequest request) {
    DeleteOptions options = DeleteOptions.of(request);
    return store.atomically(() -> {
      Predicate<JsonNode> selected = Selectors.of(request.query("labelSelector"), request.query("fieldSelector"));
      ObjectNode list = Store.JSON.createObjectNode();
      list.put("apiVersion", type.apiVersion()).put("kind", type.kind() + "List");
      ArrayNode items = list.putArray("items");
      for (Store.Stored stored : store.list(ref)) {
        if (selected.test(stored.object())) {
          items.add(deleteObject(type, stored.ref().withName(stored.object().path("metadata").path("name").asText()),
              options));
        }
      }
      list.putObject("metadata").put("resourceVersion", String.valueOf(store.currentResourceVersion()));
      return ApiResponse.ok(list.toString());
    });
  }

  /**
   * Deletes like store.Delete: preconditions, then graceful deletion for pods, then finalizers (including the
   * foregroundDeletion one), and only then removal, after which the garbage collector deletes dependents.
   */
  private ObjectNode deleteObject(ResourceType type, ResourceRef ref, DeleteOptions options) {
    ObjectNode current = store.get(ref).orElseThrow(() -> ApiException.notFound(type, ref.name()));
    ObjectNode metadata = (ObjectNode) current.path("metadata");
    if (options.uid() != null && !options.uid().equals(metadata.path("uid").asText())) {
      throw ApiException.preconditionFailed(type, ref.name(), "UID in precondition: " + options.uid()
          + ", UID in object meta: " + metadata.path("uid").asText());
    }
    if (options.resourceVersion() != null && !options.resourceVersion().equals(metadata.path("resourceVersion").asText())) {
      throw ApiException.conflict(type, ref.name());
    }
    if (options.dryRun()) {
      return current;
    }
    String uid = metadata.path("uid").asText();
    GarbageCollector gc = garbageCollector;
    if ("Orphan".equals(options.propagationPolicy()) && gc != null) {
      gc.orphanDependentsOf(uid);
      current = store.get(ref).orElseThrow(() -> ApiException.notFound(type, ref.name()));
      metadata = (ObjectNode) current.path("metadata");
    }
    long grace = gracePeriod(type, current, options);
    ObjectNode next = current.deepCopy();
    ObjectNode nextMetadata = (ObjectNode) next.path("metadata");
    boolean foreground = "Foreground".equals(options.propagationPolicy()) && gc != null && gc.hasDependents(uid);
    if (foreground && !hasFinalizer(next, GarbageCollector.FOREGROUND)) {
      nextMetadata.withArray("finalizers").add(GarbageCollector.FOREGROUND);
    }
    if (grace > 0) {
      // Graceful deletion (pods): mark with the deadline and leave the removal to the kubelet, which deletes again
      // with gracePeriodSeconds=0 once the containers stopped. A shorter grace period may replace a longer one.
      Instant deadline = Instant.now().plusSeconds(grace).truncatedTo(ChronoUnit.SECONDS);
      long pending = metadata.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE);
      if (!metadata.has("deletionTimestamp") || grace < pending) {
        nextMetadata.put("deletionTimestamp", timestamp(deadline));
        nextMetadata.put("deletionGracePeriodSeconds", grace);
      }
      return storeMarked(ref, current, next);
    }
    if (!nextMetadata.path("finalizers").isEmpty()) {
      // Finalizers hold the object: it only gets its deletionTimestamp until they are removed.
      if (!metadata.has("deletionTimestamp") || metadata.path("deletionGracePeriodSeconds").asLong(0) > 0) {
        nextMetadata.put("deletionTimestamp", timestamp(Instant.now()));
        nextMetadata.put("deletionGracePeriodSeconds", 0);
      }
      return storeMarked(ref, current, next);
    }
    return store.remove(ref);
  }

  private ObjectNode storeMarked(ResourceRef ref, ObjectNode current, ObjectNode next) {
    if (next.equals(current)) {
      return current;
    }
    ((ObjectNode) next.path("metadata")).put("resourceVersion", String.valueOf(store.nextResourceVersion()));
    store.replace(ref, current, next);
    return next;
  }

  /**
   * Only pods are deleted gracefully: the request's grace period, else the pod's terminationGracePeriodSeconds
   * (default 30); pods that already finished (Succeeded, Failed) go at once, as the pod strategy's
   * CheckGracefulDelete decides.
   */
  private static long gracePeriod(ResourceType type, ObjectNode object, DeleteOptions options) {
    if (!type.qualifiedPlural().equals("pods")) {
      return 0;
    }
    String phase = object.path("status").path("phase").asText("");
    if (phase.equals("Succeeded") || phase.equals("Failed")) {
      return 0;
    }
    if (options.gracePeriodSeconds() != null) {
      return Math.max(0, options.gracePeriodSeconds());
    }
    return object.path("spec").path("terminationGracePeriodSeconds").asLong(DEFAULT_POD_GRACE_SECONDS);
  }

  private static boolean hasFinalizer(JsonNode object, String finalizer) {
    for (JsonNode f : object.path("metadata").path("finalizers")) {
      if (f.asText().equals(finalizer)) {
        return true;
      }
    }
    return false;
  }

  /** The garbage collector's delete: the ordinary path, errors (already gone, changed) swallowed by the caller. */
  void deleteQuietly(ResourceRef ref, String propagationPolicy) {
    ResourceType type = typeOfStored(ref);
    store.atomically(() -> deleteObject(type, ref, new DeleteOptions(null, propagationPolicy, null, null, false)));
  }

  /** The garbage collector's update (owner references, finalizers), without optimistic locking. */
  void updateQuietly(ResourceRef ref, ObjectNode object) {
    ResourceType type = typeOfStored(ref);
    store.atomically(() -> {
      ObjectNode current = store.get(ref).orElseThrow(() -> ApiException.notFound(type, ref.name()));
      ObjectNode proposed = object.deepCopy();
      ((ObjectNode) proposed.path("metadata")).remove("resourceVersion");
      return write(type, ref, current, proposed, null, new ArrayList<>());
    });
  }

  private ResourceType typeOfStored(ResourceRef ref) {
    return catalog.find(ref.group(), ref.version(), ref.plural()).orElseThrow(ApiException::notFound);
  }

  // ---------------------------------------------------------------- validation of custom resources

  private ObjectNode validated(ResourceType type, ObjectNode object, ObjectNode old, ApiRequest request,
      List<String> warnings) {
    CustomResourceValidator current = validator;
    JsonNode crd = crdOf(type);
    if (current == null || crd == null) {
      return object;
    }
    CustomResourceValidator.FieldValidation fieldValidation = CustomResourceValidator.FieldValidation.fromQueryValue(
        request == null ? null : request.query("fieldValidation"));
    CustomResourceValidator.Result result = current.validate(crd, object, old, fieldValidation);
    if (!result.valid()) {
      throw ApiException.invalid(type, object.path("metadata").path("name").asText(), result.errors());
    }
    warnings.addAll(result.warnings());
    return result.object() == null ? object : asObject(result.object()).deepCopy();
  }

  // ---------------------------------------------------------------- helpers

  private JsonNode crdOf(ResourceType type) {
    if (BuiltInResources.all().stream().anyMatch(b -> b.group().equals(type.group()) && b.plural().equals(type.plural()))) {
      return null;
    }
    return catalog.crdFor(type.group(), type.plural()).orElse(null);
  }

  private static TableConverter tables() {
    return new TableConverter(Instant.now());
  }

  private static ObjectNode body(ApiRequest request) {
    String contentType = request.headers().getOrDefault("content-type", "");
    if (contentType.contains("protobuf") || contentType.contains("cbor")) {
      // 415 is how kube-apiserver refuses a content type it does not serve; client-go (kubectl create,
      // kubectl scale) then retries the write as JSON.
      throw ApiException.unsupportedMediaType(contentType);
    }
    try {
      return asObject(Store.JSON.readTree(request.body()));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiException.badRequest("the body of the request could not be decoded: " + e.getOriginalMessage());
    }
  }

  private static ObjectNode asObject(JsonNode node) {
    if (node instanceof ObjectNode object) {
      return object;
    }
    throw ApiException.badRequest("the object must be a JSON object");
  }

  private static void copyField(ObjectNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field).deepCopy());
    } else {
      to.remove(field);
    }
  }

  /** RFC 3339 in UTC with seconds, as metav1.Time serialises. */
  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String randomSuffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return suffix.toString();
  }
}
