package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real Prometheus server (Debian's {@code prometheus} package) on a free loopback port, scraping one
 * target every second, with its data in a temporary directory. Started and stopped by the test, never as
 * a system service. Public for the dashboard's test, which runs its queries against Baton's own metrics.
 */
public final class LocalPrometheus implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/prometheus");

  private final Process process;
  private final Path directory;
  private final String address;

  private LocalPrometheus(Process process, Path directory, String address) {
    this.process = process;
    this.directory = directory;
    this.address = address;
  }

  /** Starts Prometheus scraping {@code target} ({@code host:port}, path /metrics) and waits until it is ready. */
  public static LocalPrometheus start(String target) throws IOException {
    assertThat(Files.isExecutable(BINARY))
        .as("%s is missing: these tests run the real Prometheus. Install Debian's package with"
            + " `apt-get update && apt-get install -y prometheus` (.ci/run does this in CI)", BINARY)
        .isTrue();
    Path directory = Files.createTempDirectory("baton-prometheus");
    Path config = directory.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: baton-test
            static_configs:
              - targets: ['%s']
        """.formatted(target));
    String listen = "127.0.0.1:" + freePort();
    Process process = new ProcessBuilder(List.of(BINARY.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + directory.resolve("data"),
        "--web.listen-address=" + listen,
        "--log.level=warn"))
        .redirectErrorStream(true)
        .redirectOutput(directory.resolve("prometheus.log").toFile())
        .start();
    LocalPrometheus prometheus = new LocalPrometheus(process, directory, "http://" + listen);
    try {
      prometheus.awaitReady();
    } catch (RuntimeException | Error e) {
      prometheus.close();
      throw e;
    }
    return prometheus;
  }

  /** The base URL, as {@code prometheus.address}. */
  public String address() {
    return address;
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(address + "/-/ready")).timeout(Duration.ofSeconds(1)).build();
    await("Prometheus at " + address + " ready (log: " + directory.resolve("prometheus.log") + ")")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> {
          assertThat(process.isAlive()).as("Prometheus exited: %s", log()).isTrue();
          return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        });
  }

  private String log() throws IOException {
    return Files.readString(directory.resolve("prometheus.log"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
