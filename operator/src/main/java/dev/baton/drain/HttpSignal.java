package dev.baton.drain;

import dev.baton.api.Drain;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls an endpoint on the pod ({@code spec.drain.signal.http}): {@code <method> http://<podIP>:<port><path>},
 * method POST unless set. Any 2xx answer means the app has started to let its clients go; anything else is
 * a failure with the status and the start of the body.
 *
 * <p>Idempotency is the app's: the orchestrator may call the endpoint again (a retry after a timeout whose
 * request did arrive, or a resend after Baton restarted), so the endpoint must answer 2xx to a repeat and
 * not start a second drain.
 */
public final class HttpSignal implements DrainSignal {

  /** Long enough for an app to acknowledge, short enough that a hung pod does not stall a reconcile. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient http;
  private final Duration timeout;

  public HttpSignal(HttpClient http, Duration timeout) {
    this.http = http;
    this.timeout = timeout;
  }

  @Override
  public SignalResult send(Pod pod, Drain drain) {
    Drain.HttpSignal settings = drain.signalOrDefault().http();
    if (settings == null) {
      throw new IllegalArgumentException("spec.drain.signal has no http settings; DrainSignals picks the signal");
    }
    String method = settings.method() == null ? Drain.HttpMethod.POST.name() : settings.method().name();
    URI uri;
    try {
      uri = PodUrl.of(pod, settings.port(), settings.path());
    } catch (PodUrl.Unresolvable e) {
      return SignalResult.failed("spec.drain.signal.http: " + e.getMessage());
    }
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 == 2) {
        return SignalResult.sent(method + " " + uri + " answered HTTP " + response.statusCode());
      }
      return SignalResult.failed(HttpProblems.badStatus(method, uri, response.statusCode(), response.body()));
    } catch (IOException e) {
      return SignalResult.failed(HttpProblems.noAnswer(method, uri, e, timeout));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SignalResult.failed(method + " " + uri + " was interrupted (Baton is stopping)");
    }
  }
}
