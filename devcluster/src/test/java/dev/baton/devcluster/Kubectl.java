package dev.baton.devcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The real kubectl binary, run with a kubeconfig for tests: every call bounded by a timeout. */
public final class Kubectl {

  /** What one kubectl call printed and returned. */
  public record Result(int exit, String out, String err) {}

  private final Path kubeconfig;
  private final Duration timeout;

  public Kubectl(Path kubeconfig, Duration timeout) {
    this.kubeconfig = kubeconfig;
    this.timeout = timeout;
  }

  /** Whether a kubectl binary is on the PATH; tests skip with a message when not. */
  public static boolean onPath() {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, "kubectl"))) {
        return true;
      }
    }
    return false;
  }

  /** Runs kubectl to completion (or fails the test after the timeout) and insists on exit code 0. */
  public Result run(String... args) {
    Result result = runMayFail(args);
    assertThat(result.exit()).as("kubectl %s failed: %s", String.join(" ", args), result.err()).isZero();
    return result;
  }

  /** Runs kubectl to completion (or fails the test after the timeout), whatever its exit code. */
  public Result runMayFail(String... args) {
    try {
      Process process = new ProcessBuilder(command(args)).start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in " + timeout);
      }
      return new Result(process.exitValue(), out.get(5, TimeUnit.SECONDS).trim(), err.get(5, TimeUnit.SECONDS).trim());
    } catch (IOException | InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("could not run kubectl " + String.join(" ", args), e);
    }
  }

  /** Starts a long-running kubectl (e.g. {@code get -w}); the caller reads its output and stops it. */
  public Process start(String... args) throws IOException {
    return new ProcessBuilder(command(args)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString()));
    command.addAll(List.of(args));
    return command;
  }

  private static String read(InputStream stream) {
    try {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
