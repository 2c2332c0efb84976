package dev.baton.analysis;

/**
 * Where an analysis step stands after its measurements so far.
 *
 * @param phase Running until a limit is crossed or {@code count} measurements are judged
 * @param tally the counts the phase was decided from
 * @param message why, in words, for the Canary's status and events
 */
public record Assessment(AnalysisPhase phase, MeasurementTally tally, String message) {}
