package dev.baton.drain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 standing in for an app's pod or for Prometheus: it answers the paths a
 * test sets up, records every request it receives, and can hang like an app that never answers.
 */
final class LoopbackServer implements AutoCloseable {

  /** One request as the server saw it. */
  record Request(String method, URI uri) {}

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch released = new CountDownLatch(1);
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  LoopbackServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Handlers run on their own threads, so a hanging path does not block the others.
    server.setExecutor(threads);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String address() {
    return "http://127.0.0.1:" + port();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Answers every request to {@code path} with {@code status} and {@code body}. */
  LoopbackServer answer(String path, int status, String body) {
    server.createContext(path, exchange -> {
      record(exchange);
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    });
    return this;
  }

  /** Accepts requests to {@code path} and never answers them (until the server closes). */
  LoopbackServer hang(String path) {
    server.createContext(path, exchange -> {
      record(exchange);
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    return this;
  }

  private void record(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI()));
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    threads.shutdownNow();
  }

  /** A loopback port nothing listens on: bound, then released, so a connection to it is refused. */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
