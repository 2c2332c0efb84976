package dev.baton.reconciler;

import static dev.baton.testing.Applications.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.devcluster.apiserver.RequestLog;
import dev.baton.testing.BatonTestCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A settled Application costs the API server nothing on resync: 0 writes. */
class SettledResyncTest {

  @RegisterExtension
  static final BatonTestCluster cluster = BatonTestCluster.withResyncEvery(Duration.ofMillis(300));

  @Test
  void resyncOfASettledApplicationMakesNoWriteCalls() {
    String ns = cluster.newNamespace("settled");
    cluster.client().resource(chat(ns, "registry.example.com/chat:1.4.2", 3)).create();
    cluster.awaitCondition(ns, "chat", "Ready", "True");
    // Let the last status write and the simulated controllers' own writes settle before counting.
    long settledAt = cluster.reconcilesOf(ns, "chat");
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.reconcilesOf(ns, "chat") >= settledAt + 2);
    RequestLog requests = cluster.kubernetes().apiServer().requests();
    requests.clear();
    long before = cluster.reconcilesOf(ns, "chat");

    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.reconcilesOf(ns, "chat") >= before + 5);

    assertThat(requests.writes()).as("writes during %d resyncs", cluster.reconcilesOf(ns, "chat") - before).isEmpty();
  }
}
