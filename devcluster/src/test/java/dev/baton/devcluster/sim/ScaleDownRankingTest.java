package dev.baton.devcluster.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per rule of ActivePodsWithRanks.Less: the first pod of each pair must be deleted first. */
class ScaleDownRankingTest {

    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    /** A ready, running, assigned pod created an hour ago, ready for 50 minutes, cost 0, no restarts. */
    private static Pod pod(String name, UnaryOperator<PodBuilder> change) {
        PodBuilder builder = new PodBuilder()
                .withNewMetadata().withName(name).withUid("uid-" + name)
                .withCreationTimestamp(Times.format(NOW.minus(Duration.ofHours(1)))).endMetadata()
                .withNewSpec().withNodeName("baton-dev-node").endSpec()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True")
                .withLastTransitionTime(Times.format(NOW.minus(Duration.ofMinutes(50)))).endCondition()
                .addNewContainerStatus().withName("main").withRestartCount(0).endContainerStatus()
                .endStatus();
        return change.apply(builder).build();
    }

    private static PodBuilder notReady(PodBuilder b) {
        return b.editStatus().editFirstCondition().withStatus("False").endCondition().endStatus();
    }

    private static PodBuilder cost(PodBuilder b, String cost) {
        return b.editMetadata().withAnnotations(Map.of(ScaleDownRanking.POD_DELETION_COST, cost)).endMetadata();
    }

    private static PodBuilder readyFor(PodBuilder b, Duration d) {
        return b.editStatus().editFirstCondition().withLastTransitionTime(Times.format(NOW.minus(d))).endCondition().endStatus();
    }

    private static PodBuilder restarts(PodBuilder b, int n) {
        return b.editStatus().editFirstContainerStatus().withRestartCount(n).endContainerStatus().endStatus();
    }

    private static PodBuilder createdAgo(PodBuilder b, Duration d) {
        return b.editMetadata().withCreationTimestamp(Times.format(NOW.minus(d))).endMetadata();
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                Arguments.of("1. unassigned before assigned",
                        pod("unassigned", b -> b.editSpec().withNodeName(null).endSpec()), pod("assigned", b -> b)),
                Arguments.of("2. Pending before Running",
                        pod("pending", b -> b.editStatus().withPhase("Pending").endStatus()), pod("running", b -> b)),
                Arguments.of("2. Pending before Unknown",
                        pod("pending", b -> b.editStatus().withPhase("Pending").endStatus()),
                        pod("unknown", b -> b.editStatus().withPhase("Unknown").endStatus())),
                Arguments.of("2. Unknown before Running",
                        pod("unknown", b -> b.editStatus().withPhase("Unknown").endStatus()), pod("running", b -> b)),
                Arguments.of("3. not ready before ready, even with a lower cost",
                        pod("not-ready", b -> cost(notReady(b), "1000")), pod("ready-cheap", b -> cost(b, "-1000"))),
                Arguments.of("4. lower pod-deletion-cost first",
                        pod("cheap", b -> cost(b, "-5")), pod("dear", b -> cost(b, "10"))),
                Arguments.of("4. invalid cost counts as 0",
                        pod("invalid", b -> cost(b, "abc")), pod("one", b -> cost(b, "1"))),
                Arguments.of("4. cost beyond int32 counts as 0",
                        pod("too-big", b -> cost(b, "4294967296")), pod("one", b -> cost(b, "1"))),
                Arguments.of("6. more recently ready first",
                        pod("ready-10s", b -> readyFor(b, Duration.ofSeconds(10))),
                        pod("ready-50m", b -> readyFor(b, Duration.ofMinutes(50)))),
                Arguments.of("7. more restarts first",
                        pod("restarted", b -> restarts(b, 3)), pod("steady", b -> b)),
                Arguments.of("8. newer creation first",
                        pod("new", b -> createdAgo(b, Duration.ofSeconds(30))),
                        pod("old", b -> createdAgo(b, Duration.ofHours(5)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void ranksFirstPodBeforeSecond(String rule, Pod first, Pod second) {
        ScaleDownRanking ranking = new ScaleDownRanking(NOW, p -> 1);

        assertThat(ranking.compare(first, second)).as(rule).isNegative();
        assertThat(ranking.compare(second, first)).as(rule).isPositive();
        assertThat(Stream.of(second, first).sorted(ranking).toList()).as(rule).containsExactly(first, second);
    }

    @org.junit.jupiter.api.Test
    void morePodsOfTheSameOwnerOnTheSameNodeGoFirst() {
        Pod crowded = pod("crowded", b -> b.editSpec().withNodeName("node-a").endSpec());
        Pod alone = pod("alone", b -> b.editSpec().withNodeName("node-b").endSpec());
        ScaleDownRanking ranking = new ScaleDownRanking(NOW, p -> p == crowded ? 3 : 1);

        assertThat(List.of(alone, crowded).stream().sorted(ranking).toList()).containsExactly(crowded, alone);
    }

    @org.junit.jupiter.api.Test
    void readyTimesInTheSameLogarithmicBucketFallBackToUidNotRestarts() {
        // 40 and 41 minutes both fall in the 2^41 ns bucket: LogarithmicScaleDown treats them as equally old.
        Pod a = pod("a", b -> restarts(readyFor(b, Duration.ofMinutes(41)), 0));
        Pod b = pod("b", x -> restarts(readyFor(x, Duration.ofMinutes(40)), 5));
        ScaleDownRanking ranking = new ScaleDownRanking(NOW, p -> 1);

        assertThat(ranking.compare(a, b)).isNegative(); // "uid-a" < "uid-b"
    }
}
