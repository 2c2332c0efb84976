package dev.baton.analysis;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** A JDK HTTP server on a free loopback port that answers fixed or computed bodies, for provider tests. */
final class LocalHttpServer implements AutoCloseable {

  private final HttpServer server;

  private LocalHttpServer(HttpServer server) {
    this.server = server;
  }

  static LocalHttpServer start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.start();
      return new LocalHttpServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Answers {@code path} (and below) with a status, a content type and a body computed from the request. */
  LocalHttpServer route(String path, int status, String contentType, Function<HttpExchange, String> body) {
    server.createContext(path, exchange -> {
      byte[] bytes = body.apply(exchange).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    return this;
  }

  LocalHttpServer route(String path, int status, String contentType, String body) {
    return route(path, status, contentType, exchange -> body);
  }

  /** {@code host:port}, as a Prometheus scrape target. */
  String hostAndPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  String url(String path) {
    return "http://" + hostAndPort() + path;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
