package dev.baton.devcluster.validation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A CRD with one field per behaviour under test, and helpers to write Widgets in YAML. */
final class WidgetCrd {

  static final String YAML = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.baton.dev
      spec:
        group: example.baton.dev
        names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
        scope: Namespaced
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                x-kubernetes-validations:
                  - rule: "self.metadata.name.startsWith('w-')"
                    message: "metadata.name must start with w-"
                properties:
                  spec:
                    type: object
                    required: [strategy]
                    x-kubernetes-validations:
                      - rule: "self.strategy != 'BlueGreen' || has(self.previewService)"
                        message: "previewService is required for BlueGreen"
                        fieldPath: ".previewService"
                        reason: FieldValueRequired
                      - rule: "!has(self.maxUnavailable) || self.maxUnavailable <= self.replicas"
                        messageExpression: "'maxUnavailable ' + string(self.maxUnavailable) + ' exceeds replicas ' + string(self.replicas)"
                      - rule: "!has(self.owner) || self.owner.split('@').size() == 2"
                        message: "owner must be an e-mail address"
                        reason: FieldValueForbidden
                    properties:
                      replicas: {type: integer, minimum: 0, default: 1}
                      maxUnavailable: {type: integer}
                      strategy: {type: string, enum: [Canary, BlueGreen]}
                      previewService: {type: string}
                      owner: {type: string}
                      name: {type: string, pattern: '^[a-z]+$', minLength: 2, maxLength: 10}
                      timeout: {type: string, format: duration}
                      ratio: {type: number, exclusiveMaximum: true, maximum: 1}
                      weightFactor: {type: number, nullable: true}
                      note: {type: string}
                      port:
                        x-kubernetes-int-or-string: true
                        anyOf: [{type: integer}, {type: string}]
                      region:
                        type: string
                        x-kubernetes-validations:
                          - rule: "self == oldSelf"
                            message: "is immutable"
                      revision:
                        type: integer
                        x-kubernetes-validations:
                          - rule: "oldSelf.hasValue() ? self >= oldSelf.value() : self == 1"
                            message: "revision starts at 1 and never decreases"
                            optionalOldSelf: true
                      analysis:
                        type: object
                        default: {}
                        properties:
                          interval: {type: string, default: "1m"}
                          threshold: {type: integer, default: 5}
                      steps:
                        type: array
                        maxItems: 3
                        items:
                          type: object
                          required: [weight]
                          properties:
                            weight:
                              type: integer
                              x-kubernetes-validations:
                                - rule: "self <= 100"
                                  messageExpression: "'weight ' + string(self) + ' exceeds 100'"
                            pause: {type: string, default: "30s"}
                      tags:
                        type: array
                        x-kubernetes-list-type: set
                        items: {type: string}
                      ports:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [name]
                        items:
                          type: object
                          required: [name]
                          x-kubernetes-validations:
                            - rule: "self.number == oldSelf.number"
                              message: "port numbers are immutable"
                          properties:
                            name: {type: string}
                            number: {type: integer}
                      config:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                        properties:
                          level: {type: string}
                      labels:
                        type: object
                        additionalProperties: {type: string}
                      template:
                        type: object
                        x-kubernetes-embedded-resource: true
                        properties:
                          spec:
                            type: object
                            properties:
                              image: {type: string}
                  status:
                    type: object
                    properties:
                      phase: {type: string}
      """;

  /** Jackson's defaults: integers become IntNode, the case that trips cel-java without conversion. */
  private static final ObjectMapper PLAIN_YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper LONG_YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.USE_LONG_FOR_INTS);

  private WidgetCrd() {}

  static JsonNode crd() {
    return parse(YAML);
  }

  /** A Widget named {@code w-one} with this spec (YAML indented by two spaces under {@code spec:}). */
  static JsonNode widget(String specYaml) {
    return widgetNamed("w-one", specYaml);
  }

  static JsonNode widgetNamed(String name, String specYaml) {
    return parse("""
        apiVersion: example.baton.dev/v1
        kind: Widget
        metadata:
          name: %s
          namespace: default
        spec:
        %s
        """.formatted(name, specYaml.indent(2)));
  }

  /** Parses with Jackson's defaults (ints as IntNode), as an API front would without special setup. */
  static JsonNode parse(String yaml) {
    try {
      return PLAIN_YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parseWithLongs(String yaml) {
    try {
      return LONG_YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
