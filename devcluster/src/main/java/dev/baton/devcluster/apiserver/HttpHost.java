package dev.baton.devcluster.apiserver;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTP side of the embedded API server, on Vert.x (the server library fabric8's mock web server is built on).
 * fabric8's own HTTP layer answers each request with one complete body, which cannot carry a watch stream, so the
 * CRUD store is hosted here instead: ordinary requests get one JSON answer; watches stream {@code WatchEvent}
 * frames either as chunked HTTP lines (kubectl {@code -w}, {@code kubectl wait}) or as WebSocket text messages (the
 * fabric8 client's watches and JOSDK's informers).
 */
final class HttpHost implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(16));
  private final ApiFront front;
  private final RequestLog log;
  private HttpServer server;

  HttpHost(ApiFront front, RequestLog log) {
    this.front = front;
    this.log = log;
  }

  int start(String host, int port) {
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setWebSocketSubProtocols(List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io",
            "v1.channel.k8s.io"))
        .setHandle100ContinueAutomatically(true));
    server.requestHandler(this::onRequest);
    try {
      return server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    } catch (Exception e) {
      throw new IllegalStateException("the embedded API server could not listen on " + host + ":" + port, e);
    }
  }

  private void onRequest(HttpServerRequest http) {
    Map<String, String> headers = new LinkedHashMap<>();
    http.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
    if ("websocket".equalsIgnoreCase(http.getHeader("Upgrade"))) {
      // The upgrade must happen before the request is read; WebSocket watches carry no body.
      ApiRequest request = ApiRequest.of(http.method().name(), http.uri(), headers, "");
      log.record(request.method(), request.path(), request.rawQuery());
      http.toWebSocket().onSuccess(ws -> vertx.executeBlocking(() -> {
        follow(request, ws::writeTextMessage, ws::close, ws::closeHandler);
        return null;
      }, false));
      return;
    }
    http.body().onSuccess(body -> {
      ApiRequest request = ApiRequest.of(http.method().name(), http.uri(), headers, body.toString());
      log.record(request.method(), request.path(), request.rawQuery());
      if (request.isWatch()) {
        vertx.executeBlocking(() -> {
          startWatch(http, request);
          return null;
        }, false);
        return;
      }
      vertx.executeBlocking(() -> front.handle(request), false)
          .onSuccess(response -> send(http.response(), response))
          .onFailure(error -> send(http.response(), ApiResponse.of(500, internalError(error))));
    });
  }

  private static void send(HttpServerResponse response, ApiResponse answer) {
    response.setStatusCode(answer.code()).putHeader("Content-Type", "application/json");
    answer.warningHeaders().forEach(w -> response.headers().add("Warning", w));
    response.end(answer.body());
  }

  private void startWatch(HttpServerRequest http, ApiRequest request) {
    HttpServerResponse response = http.response();
    response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json");
    // Headers go out at once, so a client learns the watch is open before the first event.
    response.writeHead();
    follow(request, frame -> response.write(frame + "\n"), () -> {
      if (!response.ended()) {
        response.end();
      }
    }, response::closeHandler);
  }

  /** Streams the watch until the client goes away or {@code timeoutSeconds} runs out. */
  private void follow(ApiRequest request, Consumer<String> send, Runnable end,
      Consumer<io.vertx.core.Handler<Void>> onClientClose) {
    WatchHub.Subscription subscription;
    try {
      subscription = front.watch(request, send);
    } catch (ApiException e) {
      // Like the real server, a watch that cannot start (e.g. 410 Expired) reports an ERROR event carrying a Status.
      send.accept("{\"type\":\"ERROR\",\"object\":" + e.status() + "}");
      end.run();
      return;
    }
    onClientClose.accept(v -> subscription.cancel());
    String timeout = request.query("timeoutSeconds");
    if (timeout != null) {
      vertx.setTimer(Math.max(1, Long.parseLong(timeout)) * 1000, id -> {
        subscription.cancel();
        end.run();
      });
    }
  }

  private static String internalError(Throwable error) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
        + Store.JSON.valueToTree(String.valueOf(error)) + ",\"reason\":\"InternalError\",\"code\":500}";
  }

  @Override
  public void close() {
    Future<Void> closing = server == null ? Future.succeededFuture() : server.close();
    try {
      closing.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Closing is best effort: the port is loopback-only and the JVM cleans up the rest.
    }
  }

}
