package dev.baton.devcluster.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Pod template identity for the Deployment controller: the {@code pod-template-hash} that names a Deployment's
 * ReplicaSets ({@code ComputeHash} in pkg/controller/controller_utils.go: FNV-1a 32 over the template plus the
 * collision count, printed in decimal and mapped through SafeEncodeString) and template equality ignoring that label
 * ({@code EqualIgnoreHash} in pkg/controller/deployment/util/deployment_util.go).
 *
 * <p>The bytes hashed are the template's canonical JSON (keys sorted, empty values dropped), not Go's struct
 * printout, so the hash differs from a real cluster's for the same template but is just as stable.
 */
final class PodTemplates {

    static final String POD_TEMPLATE_HASH = "pod-template-hash";

    private final KubernetesSerialization serialization;

    PodTemplates(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    String hash(PodTemplateSpec template, Integer collisionCount) {
        int hash = 0x811c9dc5;
        for (byte b : canonicalJson(template).getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= 0x01000193;
        }
        if (collisionCount != null) {
            int c = collisionCount;
            for (int i = 0; i < 4; i++) { // little-endian uint32, as binary.LittleEndian.PutUint32
                hash ^= (c >>> (8 * i)) & 0xff;
                hash *= 0x01000193;
            }
        }
        return RandomSuffix.safeEncode(Long.toString(Integer.toUnsignedLong(hash)));
    }

    boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
        return normalized(a).equals(normalized(b));
    }

    private String canonicalJson(PodTemplateSpec template) {
        return serialization.asJson(sorted(normalized(template)));
    }

    private JsonNode normalized(PodTemplateSpec template) {
        JsonNode tree = serialization.convertValue(template, JsonNode.class);
        JsonNode labels = tree.path("metadata").path("labels");
        if (labels instanceof ObjectNode labelsObject) {
            labelsObject.remove(POD_TEMPLATE_HASH);
        }
        dropEmpty(tree);
        return tree;
    }

    /** null, {} and [] mean "unset" in Kubernetes objects; a server may add or drop them. */
    private static boolean dropEmpty(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<String> empty = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (dropEmpty(field.getValue())) {
                    empty.add(field.getKey());
                }
            }
            object.remove(empty);
            return object.isEmpty();
        }
        if (node.isArray()) {
            node.forEach(PodTemplates::dropEmpty);
            return node.isEmpty();
        }
        return node.isNull();
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode result = object.objectNode();
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            names.forEach(name -> result.set(name, sorted(object.get(name))));
            return result;
        }
        if (node.isArray()) {
            var result = ((com.fasterxml.jackson.databind.node.ArrayNode) node).arrayNode();
            node.forEach(child -> result.add(sorted(child)));
            return result;
        }
        return node;
    }
}
