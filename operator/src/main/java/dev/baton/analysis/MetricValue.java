package dev.baton.analysis;

/**
 * What a provider measured.
 *
 * @param result the value bound to {@code result} in the conditions: a CEL value ({@code Double},
 *     {@code Long}, {@code String}, {@code Boolean}, CEL's null, or lists and maps of those)
 * @param text the value as a user reads it in the Canary's status (e.g. {@code 0.25} or {@code [3, 4]})
 */
public record MetricValue(Object result, String text) {}
