package dev.baton.drain;

import dev.baton.api.Drain;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/** {@code spec.drain} as a user would write it, one way of signalling or watching at a time. */
final class Drains {

  private Drains() {}

  static Drain httpSignal(IntOrString port, String path, Drain.HttpMethod method) {
    return new Drain(new Drain.Signal(null, new Drain.HttpSignal(port, path, method), null), null, null, null, null);
  }

  static Drain execSignal(String container, List<String> command) {
    return new Drain(new Drain.Signal(new Drain.ExecSignal(container, command), null, null), null, null, null, null);
  }

  static Drain annotationSignal() {
    return new Drain(new Drain.Signal(null, null, new Drain.AnnotationSignal()), null, null, null, null);
  }

  static Drain httpWatch(IntOrString port, String path, String jsonPointer, String interval, String timeout) {
    return new Drain(null, new Drain.Watch(new Drain.HttpWatch(port, path, jsonPointer, interval), null, null),
        timeout, null, null);
  }

  static Drain prometheusWatch(String address, String query, String interval, String timeout) {
    return new Drain(null, new Drain.Watch(null, new Drain.PrometheusWatch(address, query, interval), null),
        timeout, null, null);
  }

  static Drain waitWatch(String duration, String timeout) {
    return new Drain(null, new Drain.Watch(null, null, new Drain.WaitWatch(duration)), timeout, null, null);
  }

  static IntOrString port(String name) {
    return new IntOrString(name);
  }

  static IntOrString port(int number) {
    return new IntOrString(number);
  }
}
