package dev.baton.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a command running until Ctrl-C or SIGTERM, then closes what it started in reverse order. The
 * closing happens in the JVM's shutdown hook, because the JVM does not wait for the main thread once a
 * signal arrived.
 */
final class UntilStopped {

  private static final Logger LOG = LoggerFactory.getLogger(UntilStopped.class);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  <T extends AutoCloseable> T closeOnStop(T resource) {
    resources.add(resource);
    return resource;
  }

  /** Blocks until the process is told to stop and everything is closed. */
  void await() throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(this::closeAll, "baton-shutdown"));
    closed.await();
  }

  private void closeAll() {
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    for (AutoCloseable resource : reversed) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("Could not close {} cleanly: {}", resource.getClass().getSimpleName(), e.getMessage());
      }
    }
    closed.countDown();
  }
}
