package dev.baton.drain;

import dev.baton.api.Drain;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpClient;
import java.time.Clock;

/** Picks the {@link DrainSignal} that {@code spec.drain.signal} asks for; the annotation signal by default. */
public final class DrainSignals {

  private final AnnotationSignal annotation;
  private final HttpSignal http;
  private final ExecSignal exec;

  public DrainSignals(AnnotationSignal annotation, HttpSignal http, ExecSignal exec) {
    this.annotation = annotation;
    this.http = http;
    this.exec = exec;
  }

  /** The signals with their default timeouts. */
  public static DrainSignals withDefaults(KubernetesClient kubernetes, HttpClient http, Clock clock) {
    return new DrainSignals(
        new AnnotationSignal(kubernetes, clock),
        new HttpSignal(http, HttpSignal.DEFAULT_TIMEOUT),
        new ExecSignal(kubernetes, ExecSignal.DEFAULT_TIMEOUT));
  }

  /** The signal for {@code drain}'s pods. */
  public DrainSignal signalFor(Drain drain) {
    Drain.Signal signal = drain.signalOrDefault();
    if (signal.exec() != null) {
      return exec;
    }
    if (signal.http() != null) {
      return http;
    }
    // The CRD's CEL rule admits exactly one of the three, so what is left is the annotation (or the default).
    return annotation;
  }
}
