package dev.baton.devcluster.traffic;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * The app's admin port in one simulated pod, what Baton's HTTP drain signal and HTTP connection watch talk to:
 * <ul>
 *   <li>{@code POST /drain}: the drain signal; answers 202 at once (the drain itself takes time), also when the app
 *   then ignores it, as a broken app would;</li>
 *   <li>{@code GET /connections}: {@code {"connections": n}} (watch with JSON pointer {@code /connections});</li>
 *   <li>{@code GET /connections/count}: the plain number {@code n}.</li>
 * </ul>
 * Served by the JDK's HTTP server on the pod's IP; handlers run on its one dispatcher thread (they are quick).
 */
final class AdminEndpoint {

    private final HttpServer server;

    AdminEndpoint(InetSocketAddress address, Runnable drainSignal, IntSupplier openSessions) {
        try {
            this.server = HttpServer.create(address, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Admin server could not bind " + address + ": " + e.getMessage(), e);
        }
        server.createContext("/drain", exchange -> {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "text/plain", "POST to drain\n");
                return;
            }
            drainSignal.run();
            respond(exchange, 202, "text/plain", "draining\n");
        });
        server.createContext("/connections", exchange ->
                respondToGet(exchange, "application/json", "{\"connections\": " + openSessions.getAsInt() + "}"));
        server.createContext("/connections/count", exchange ->
                respondToGet(exchange, "text/plain", Integer.toString(openSessions.getAsInt())));
    }

    void start() {
        server.start();
    }

    void stop() {
        server.stop(0);
    }

    private static void respondToGet(HttpExchange exchange, String type, String body) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "text/plain", "GET only\n");
        } else {
            respond(exchange, 200, type, body);
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (InputStream in = exchange.getRequestBody(); exchange) {
            in.transferTo(OutputStream.nullOutputStream());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
