package dev.baton.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.BatonOperator;
import dev.baton.api.Application;
import dev.baton.api.ApplicationSpec;
import dev.baton.api.Canary;
import dev.baton.api.CanaryPhase;
import dev.baton.api.CanaryStep;
import dev.baton.api.CanaryStrategy;
import dev.baton.api.Crds;
import dev.baton.api.Strategy;
import dev.baton.devcluster.EmbeddedKubernetes;
import dev.baton.devcluster.apiserver.RequestLog;
import dev.baton.devcluster.sim.SimulationSettings;
import dev.baton.testing.Applications;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Baton at scale on the embedded cluster: N Applications come up, are released at once, settle, and are resynced;
 * the figures (times, reconcile rates and latencies, API calls, heap) go to {@code docs/benchmarks.md}.
 *
 * <p>A measurement, not a test: no figure is judged against a threshold. Only correctness is asserted (every
 * Application Ready, every release Succeeded, no write on resync), so a benchmark that measured something broken
 * fails. Run it with {@code ./mvnw -B verify -pl operator -am -Pbenchmark} ({@code -Dbaton.bench.apps=N} for
 * another N); {@code ./mvnw verify} never runs it (the {@code benchmark} profile in the parent POM).
 */
@Tag("benchmark")
class OperatorBenchmark {

  /**
   * Sized so that a run takes under two minutes on a 2-core machine. The embedded API server's work per request grows
   * with what it stores, so come-up and release times grow faster than N (100 takes about four minutes).
   */
  static final int DEFAULT_APPS = 50;
  static final int APPS = Integer.getInteger("baton.bench.apps", DEFAULT_APPS);
  static final int REPLICAS = 2;
  static final String NS = "bench";
  static final String EMPTY_NS = "bench-empty";
  static final String IMAGE = "registry.example.com/chat:";
  static final String FIRST = "1.0.0";
  static final String SECOND = "2.0.0";
  /** One setWeight step, no pause: the release walks a step, promotes and drains without anyone acting. */
  static final Strategy ONE_STEP = new Strategy(new CanaryStrategy(List.of(CanaryStep.setWeight(50)), null), null,
      null, null);
  /** The resync period of the steady-state phase, and how many resyncs of every Application it counts. */
  static final Duration RESYNC = Duration.ofSeconds(5);
  static final int RESYNC_ROUNDS = 3;
  /** How long a closed operator instance may take to leave the heap. */
  static final Duration LINGER = Duration.ofSeconds(15);
  /** Generous: a phase that ends ends in seconds; this only bounds a broken run. */
  static final Duration PATIENCE = Duration.ofMinutes(10);
  static final Path DOC = Path.of("../docs/benchmarks.md");
  static final String BEGIN = "<!-- figures: written by OperatorBenchmark -->";
  static final String END = "<!-- end of figures -->";
  static final String CLIENT_THREADS = "operator-client-";

  private final Figures figures = new Figures();
  private final Map<String, AtomicLong> reconcilesByApp = new ConcurrentHashMap<>();
  private final AtomicLong reconciles = new AtomicLong();
  /** The operator's reconcile threads, by id. */
  private final Set<Long> reconcileThreads = ConcurrentHashMap.newKeySet();
  /** Name prefixes of the operator clients' threads. */
  private final List<String> operatorThreads = new CopyOnWriteArrayList<>(List.of(CLIENT_THREADS));

  @Test
  void nApplicationsComeUpReleaseAndSettle() throws Exception {
    assertThat(Files.readString(DOC)).as("%s holds the figures between markers", DOC).contains(BEGIN, END);
    long runStarted = System.nanoTime();
    long errors;
    boolean collected;
    try (EmbeddedKubernetes kubernetes = EmbeddedKubernetes.start(SimulationSettings.forTests())) {
      KubernetesClient client = kubernetes.client();
      Crds.install(client);
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
      long heapClusterOnly = Heap.usedAfterGc();

      ApiCalls calls = new ApiCalls();
      Instance first = new Instance(kubernetes, calls, settings -> settings);
      Progress progress = Progress.watch(client);
      calls.take();
      first.times.take();
      comeUp(client, progress, calls, first.times);
      release(client, progress, calls, first.times);
      progress.close();
      // Nothing of the benchmark's watches may stay reachable for the heap figures.
      progress = null;
      assertSettled(client, SECOND);
      errors = errors(first.times);
      collected = first.closeAndAwaitCollected();

      // What an operator holds whatever the number of Applications: one watching an empty namespace. It runs on
      // while the next instance is measured, so that each heap figure is what starting an instance added.
      reconcilesByApp.clear();
      long heapNoOperator = Heap.usedAfterGc();
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(EMPTY_NS).endMetadata().build())
          .create();
      Instance idle = new Instance(kubernetes, calls, settings -> settings.withWatchNamespace(EMPTY_NS));
      long heapIdleOperator = Heap.usedAfterGc();

      // A new operator instance with a resync period: it finds N settled Applications, as after a restart.
      calls.take();
      long restarted = System.nanoTime();
      Instance steady = new Instance(kubernetes, calls, settings -> settings.withMaxReconcileInterval(RESYNC));
      restart(restarted, calls, steady.times);
      resync(kubernetes.apiServer().requests(), calls, steady.times);
      errors += errors(steady.times);
      long heapWithOperator = Heap.usedAfterGc();
      memory(heapClusterOnly, heapNoOperator, heapIdleOperator, heapWithOperator);
      steady.close();
      idle.close();
    }
    figures.add("Run", "reconciles that threw (the SDK retries them)", errors);
    figures.add("Run", "first operator instance gone from the heap " + LINGER.toSeconds() + " s after its close",
        collected ? "yes" : "no: its fabric8 client was still reachable (through its JDK HTTP client), and is in every"
            + " heap figure alike");
    figures.add("Run", "benchmark wall time (JVM already started)", seconds(System.nanoTime() - runStarted));
    System.out.println(figures.toMarkdown());
    write();
  }

  // ---- phases ----

  /** N Applications created one after the other, as fast as the API takes them, until every one is Ready. */
  private void comeUp(KubernetesClient client, Progress progress, ApiCalls calls, ReconcileTimes times) {
    long reconcilesBefore = reconciles.get();
    CpuTime cpu = cpu();
    long started = System.nanoTime();
    for (int i = 0; i < APPS; i++) {
      progress.createdAt.put(name(i), System.nanoTime());
      client.resource(application(i)).create();
    }
    long created = System.nanoTime();
    await("every Application Ready").atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
        .until(() -> progress.readyAt.size() == APPS);
    long allReady = progress.readyAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    long reconcilesToReady = reconciles.get() - reconcilesBefore;
    String cpuToReady = cpu().since(cpu);
    ReconcileTimes.Samples latencies = times.take();
    awaitStable(progress, FIRST);
    awaitQuiet();
    ApiCalls.Counts api = calls.take();

    String phase = "Come-up: " + APPS + " Applications × " + REPLICAS + " replicas";
    figures.add(phase, "creating the " + APPS + " Applications (API calls)", seconds(created - started));
    figures.add(phase, "first create until all Ready", seconds(allReady - started));
    figures.add(phase, "per Application, create until Ready: p50 / p95",
        progress.durations(progress.createdAt, progress.readyAt).summary());
    figures.add(phase, "reconciles until all Ready", reconcilesToReady + " (" + perApp(reconcilesToReady) + " per app)");
    figures.add(phase, "reconciles per second until all Ready", rate(reconcilesToReady, allReady - started));
    figures.add(phase, "reconcile latency p50 / p95 / p99 / max", latencies(latencies));
    figures.add(phase, "CPU until all Ready", cpuToReady);
    figures.add(phase, "operator API calls, until settled: reads / writes", reads(api) + " / " + writes(api));
    figures.addCalls(phase, api);
  }

  /** Every Application's image tag changed at once; every Canary walks its one step, promotes and drains. */
  private void release(KubernetesClient client, Progress progress, ApiCalls calls, ReconcileTimes times) {
    long reconcilesBefore = reconciles.get();
    CpuTime cpu = cpu();
    long started = System.nanoTime();
    for (int i = 0; i < APPS; i++) {
      progress.releasedAt.put(name(i), System.nanoTime());
      client.resources(Application.class).inNamespace(NS).withName(name(i)).patch(PatchContext.of(PatchType.JSON),
          "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"" + IMAGE + SECOND + "\"}]");
    }
    long patched = System.nanoTime();
    await("every release Succeeded").atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
        .until(() -> progress.succeededAt.size() + progress.failed.size() == APPS);
    assertThat(progress.failed).as("releases that did not succeed").isEmpty();
    long allSucceeded = progress.succeededAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    long reconcilesToSucceeded = reconciles.get() - reconcilesBefore;
    String cpuToSucceeded = cpu().since(cpu);
    ReconcileTimes.Samples latencies = times.take();
    awaitStable(progress, SECOND);
    awaitQuiet();
    ApiCalls.Counts api = calls.take();

    String phase = "Release: all " + APPS + " at once, " + FIRST + " → " + SECOND + " (one setWeight: 50 step, no pause)";
    figures.add(phase, "patching the " + APPS + " image tags (API calls)", seconds(patched - started));
    figures.add(phase, "first patch until all Canaries Succeeded", seconds(allSucceeded - started));
    figures.add(phase, "per Application, patch until Succeeded: p50 / p95",
        progress.durations(progress.releasedAt, progress.succeededAt).summary());
    figures.add(phase, "reconciles until all Succeeded",
        reconcilesToSucceeded + " (" + perApp(reconcilesToSucceeded) + " per app)");
    figures.add(phase, "reconciles per second until all Succeeded", rate(reconcilesToSucceeded, allSucceeded - started));
    figures.add(phase, "reconcile latency p50 / p95 / p99 / max", latencies(latencies));
    figures.add(phase, "CPU until all Succeeded", cpuToSucceeded);
    figures.add(phase, "operator API calls, until settled: reads / writes", reads(api) + " / " + writes(api));
    figures.addCalls(phase, api);
  }

  /** A new operator instance on N settled Applications: its first reconcile of each. */
  private void restart(long started, ApiCalls calls, ReconcileTimes times) {
    await("every Application reconciled after the restart").atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
        .until(() -> reconcilesByApp.size() == APPS && minReconciles() >= 1);
    long reconciled = System.nanoTime();
    awaitQuiet();
    ApiCalls.Counts api = calls.take();
    ReconcileTimes.Samples latencies = times.take();

    String phase = "Restart: a new operator instance on " + APPS + " settled Applications";
    figures.add(phase, "start (informers listed and watching) until every Application reconciled once",
        seconds(reconciled - started));
    figures.add(phase, "reconciles until quiet (an informer's first events also trigger reconciles)",
        latencies.count() + " (" + perApp(latencies.count()) + " per app)");
    figures.add(phase, "reconcile latency p50 / p95 / p99 / max", latencies(latencies));
    figures.add(phase, "operator API calls: reads / writes", reads(api) + " / " + writes(api));
    figures.addCalls(phase, api);
  }

  /** The same instance resyncs every Application every {@link #RESYNC}: what a resync costs the API server. */
  private void resync(RequestLog serverLog, ApiCalls calls, ReconcileTimes times) {
    Map<String, Long> base = new ConcurrentHashMap<>();
    reconcilesByApp.forEach((app, n) -> base.put(app, n.get()));
    long before = reconciles.get();
    serverLog.clear();
    calls.take();
    times.take();
    CpuTime cpu = cpu();
    long started = System.nanoTime();
    await("every Application resynced " + RESYNC_ROUNDS + " times").atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
        .until(() -> base.entrySet().stream()
            .allMatch(e -> reconcilesByApp.get(e.getKey()).get() >= e.getValue() + RESYNC_ROUNDS));
    long window = System.nanoTime() - started;
    String cpuInWindow = cpu().since(cpu);
    long resyncs = reconciles.get() - before;
    ApiCalls.Counts api = calls.take();
    ReconcileTimes.Samples latencies = times.take();
    List<RequestLog.Entry> serverWrites = serverLog.writes();

    double rounds = (double) resyncs / APPS;
    String phase = "Steady state: " + APPS + " settled Applications resynced every " + RESYNC.toSeconds() + " s";
    figures.add(phase, "window", seconds(window) + ", " + resyncs + " reconciles (" + String.format(Locale.ROOT,
        "%.1f", rounds) + " per Application)");
    figures.add(phase, "operator API reads per resync of all " + APPS, String.format(Locale.ROOT, "%.1f",
        api.reads() / rounds));
    figures.add(phase, "operator API writes per resync of all " + APPS, String.format(Locale.ROOT, "%.1f",
        api.writes() / rounds));
    figures.add(phase, "writes by anyone (operator, simulated controllers) in the window", serverWrites.size());
    figures.add(phase, "reconcile latency p50 / p95 / p99 / max", latencies(latencies));
    figures.add(phase, "CPU in the window", cpuInWindow);
    figures.addCalls(phase, api);

    assertThat(api.byKind()).as("the operator's writes during %d resyncs of %d settled Applications", resyncs, APPS)
        .allSatisfy((kind, n) -> assertThat(ApiCalls.Counts.isWrite(kind)).as(kind).isFalse());
    assertThat(serverWrites).as("writes to the API server while %d Applications were resynced", APPS).isEmpty();
  }

  private void memory(long clusterOnly, long noOperator, long idleOperator, long withOperator) {
    String phase = "Memory: heap used after a full GC (cluster and operator share one JVM)";
    long idle = idleOperator - noOperator;
    long operator = withOperator - idleOperator;
    figures.add(phase, "embedded cluster, empty", mib(clusterOnly));
    figures.add(phase, "embedded cluster with " + APPS + " settled Applications, no operator", mib(noOperator));
    figures.add(phase, "+ an operator watching an empty namespace", mib(idleOperator));
    figures.add(phase, "+ an operator watching the " + APPS + " Applications", mib(withOperator));
    figures.add(phase, "**operator watching an empty namespace** (its client, the SDK, empty informers)", mib(idle));
    figures.add(phase, "**operator watching " + APPS + " settled Applications**", mib(operator));
    figures.add(phase, "**per Application** (the difference of the last two, / " + APPS + ")",
        kib((operator - idle) / APPS));
    figures.add(phase, "embedded cluster's own heap for " + APPS + " Applications and their objects",
        mib(noOperator - clusterOnly));
    figures.add(phase, "max heap (-Xmx)", mib(Runtime.getRuntime().maxMemory()));
  }

  // ---- waiting ----

  /** Waits until every Application is Ready with {@code version} stable and no release running. */
  private void awaitStable(Progress progress, String version) {
    await("every Application Ready at " + version).atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
        .until(() -> progress.stableAt(version) == APPS);
  }

  /** Waits until no reconcile started for a second: the last status writes and events of a phase are done. */
  private void awaitQuiet() {
    long[] last = {reconciles.get(), System.nanoTime()};
    await("no reconcile for 1 s").atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
      long now = reconciles.get();
      if (now != last[0]) {
        last[0] = now;
        last[1] = System.nanoTime();
      }
      return System.nanoTime() - last[1] >= 1_000_000_000L;
    });
  }

  private long minReconciles() {
    return reconcilesByApp.values().stream().mapToLong(AtomicLong::get).min().orElse(0);
  }

  private static void assertSettled(KubernetesClient client, String version) {
    await("only the " + version + " pools, every pod Ready").atMost(PATIENCE).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> {
          List<Deployment> pools = client.apps().deployments().inNamespace(NS).list().getItems();
          assertThat(pools).hasSize(APPS).allSatisfy(d -> assertThat(d.getMetadata().getName()).endsWith("-" + version));
          List<Pod> pods = client.pods().inNamespace(NS).list().getItems();
          assertThat(pods).hasSize(APPS * REPLICAS).allSatisfy(p -> assertThat(isReady(p)).as(p.getMetadata().getName())
              .isTrue());
        });
  }

  private static long errors(ReconcileTimes registry) {
    Counter errors = registry.find("baton.reconciles").tag("result", "error").counter();
    return errors == null ? 0 : (long) errors.count();
  }

  // ---- the operator ----

  /** One operator instance with a client of its own, as one pod of the Baton Deployment. */
  private final class Instance {
    final ReconcileTimes times = new ReconcileTimes();
    private KubernetesClient client;
    private BatonOperator operator;

    Instance(EmbeddedKubernetes kubernetes, ApiCalls calls, UnaryOperator<BatonOperator.Settings> settings) {
      client = operatorClient(kubernetes, calls);
      operator = BatonOperator.create(client, settings.apply(settings(times))).start();
    }

    void close() {
      operator.close();
      client.close();
    }

    /**
     * Closes the instance and drops it, then waits up to {@link #LINGER} until the operator and its client are
     * collected: whether they were. What stays reachable stays in the heap figures that follow.
     */
    boolean closeAndAwaitCollected() throws InterruptedException {
      close();
      WeakReference<Object> operatorRef = new WeakReference<>(operator);
      WeakReference<Object> clientRef = new WeakReference<>(client);
      operator = null;
      client = null;
      long deadline = System.nanoTime() + LINGER.toNanos();
      while (operatorRef.get() != null || clientRef.get() != null) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        System.gc();
        Thread.sleep(200);
      }
      return true;
    }
  }

  private BatonOperator.Settings settings(ReconcileTimes times) {
    return BatonOperator.Settings.defaults().withMeterRegistry(times).withListener(app -> {
      // The SDK renames its reconcile threads only while they reconcile: they are known by id.
      reconcileThreads.add(Thread.currentThread().getId());
      reconciles.incrementAndGet();
      reconcilesByApp.computeIfAbsent(app.getMetadata().getName(), k -> new AtomicLong()).incrementAndGet();
    });
  }

  /**
   * A client for the operator whose every request {@code calls} counts. Its threads carry names of their own
   * ({@value #CLIENT_THREADS}, and its HTTP client's pool), so their CPU time is the operator's.
   */
  private KubernetesClient operatorClient(EmbeddedKubernetes kubernetes, ApiCalls calls) {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(kubernetes.apiServer().url())
        .withNamespace("default")
        .withTrustCerts(true)
        .withRequestRetryBackoffLimit(0)
        .build();
    JdkHttpClientFactory http = new JdkHttpClientFactory();
    // fabric8 names its HTTP pool's threads after the factory (Utils.daemonThreadFactory).
    operatorThreads.add("JdkHttpClientFactory-" + System.identityHashCode(http) + "-");
    AtomicLong threads = new AtomicLong();
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(http)
        .withHttpClientBuilderConsumer(builder -> builder.addOrReplaceInterceptor("benchmark-api-calls", calls))
        .withTaskExecutorSupplier(new KubernetesClientBuilder.ExecutorSupplier() {
          @Override
          public Executor get() {
            return Executors.newCachedThreadPool(task -> {
              Thread thread = new Thread(task, CLIENT_THREADS + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
          }

          @Override
          public void onClose(Executor executor) {
            ((ExecutorService) executor).shutdownNow();
          }
        })
        .build();
  }

  private CpuTime cpu() {
    return CpuTime.now(reconcileThreads, operatorThreads.toArray(String[]::new));
  }

  static String name(int i) {
    return String.format(Locale.ROOT, "chat-%04d", i);
  }

  private static Application application(int i) {
    Application app = Applications.chat(NS, IMAGE + FIRST, REPLICAS);
    app.getMetadata().setName(name(i));
    ApplicationSpec s = app.getSpec();
    app.setSpec(new ApplicationSpec(s.version(), s.replicas(), s.template(), s.service(), ONE_STEP, s.drain(), null,
        null));
    return app;
  }

  private static boolean isReady(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
        && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  // ---- the report ----

  private void write() throws IOException {
    int cores = Runtime.getRuntime().availableProcessors();
    String jvm = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    String gc = ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName())
        .reduce((a, b) -> a + ", " + b).orElse("?");
    Figures machine = new Figures();
    machine.add("Machine", "date", LocalDate.now(ZoneOffset.UTC));
    machine.add("Machine", "cores", cores);
    machine.add("Machine", "JVM", jvm);
    machine.add("Machine", "garbage collectors", gc);
    machine.add("Machine", "OS", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    machine.add("Machine", "N (-Dbaton.bench.apps)", APPS + (APPS == DEFAULT_APPS ? " (the default)" : ""));
    machine.add("Machine", "simulated pod start / termination", "100 ms / 200 ms (SimulationSettings.forTests)");
    machine.add("Machine", "operator reconcile threads", BatonOperator.Settings.defaults().reconcileThreads());
    String doc = Files.readString(DOC);
    String generated = BEGIN + "\n\n" + machine.toMarkdown() + "\n" + figures.toMarkdown() + "\n" + END;
    Files.writeString(DOC, doc.substring(0, doc.indexOf(BEGIN)) + generated
        + doc.substring(doc.indexOf(END) + END.length()));
  }

  private String perApp(long count) {
    return String.format(Locale.ROOT, "%.1f", (double) count / APPS);
  }

  private static String rate(long count, long nanos) {
    return String.format(Locale.ROOT, "%.0f /s", count / (nanos / 1e9));
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
  }

  private static String kib(long bytes) {
    return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
  }

  private String reads(ApiCalls.Counts api) {
    return api.reads() + "";
  }

  private String writes(ApiCalls.Counts api) {
    return api.writes() + " (" + perApp(api.writes()) + " per app)";
  }

  private static String latencies(ReconcileTimes.Samples s) {
    return String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f ms (%d reconciles)", s.percentileMillis(50),
        s.percentileMillis(95), s.percentileMillis(99), s.maxMillis(), s.count());
  }

  // ---- helpers ----

  /** Heap in use after a full GC: live objects only. */
  static final class Heap {
    static long usedAfterGc() throws InterruptedException {
      // The least of five readings a moment apart: what the cluster's and the operator's threads allocate between a
      // GC and its reading counts less.
      long least = Long.MAX_VALUE;
      for (int i = 0; i < 5; i++) {
        System.gc();
        Thread.sleep(300);
        least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      }
      return least;
    }
  }

  /** When each Application became Ready and each release Succeeded, as a watch (an informer) sees them. */
  static final class Progress implements AutoCloseable {
    final Map<String, Long> createdAt = new ConcurrentHashMap<>();
    final Map<String, Long> readyAt = new ConcurrentHashMap<>();
    final Map<String, Long> releasedAt = new ConcurrentHashMap<>();
    final Map<String, Long> succeededAt = new ConcurrentHashMap<>();
    final Map<String, CanaryPhase> failed = new ConcurrentHashMap<>();
    private SharedIndexInformer<Application> applications;
    private SharedIndexInformer<Canary> canaries;

    static Progress watch(KubernetesClient client) {
      Progress p = new Progress();
      p.applications = client.resources(Application.class).inNamespace(NS).inform(new Handler<>(p::seen));
      p.canaries = client.resources(Canary.class).inNamespace(NS).inform(new Handler<>(p::seen));
      return p;
    }

    private void seen(Application app) {
      long now = System.nanoTime();
      String name = app.getMetadata().getName();
      boolean ready = app.getStatus() != null
          && app.getStatus().condition("Ready").filter(c -> "True".equals(c.getStatus())).isPresent();
      if (ready) {
        readyAt.putIfAbsent(name, now);
      }
    }

    private void seen(Canary canary) {
      if (canary.getStatus() == null || canary.getStatus().phase() == null || !SECOND.equals(canary.getSpec().toVersion())) {
        return;
      }
      CanaryPhase phase = canary.getStatus().phase();
      if (phase == CanaryPhase.Succeeded) {
        succeededAt.putIfAbsent(canary.getSpec().application(), System.nanoTime());
      } else if (phase.isFinished()) {
        failed.put(canary.getSpec().application(), phase);
      }
    }

    /** How many Applications are Ready with {@code version} stable and no release running. */
    long stableAt(String version) {
      return applications.getStore().list().stream()
          .filter(a -> a.getStatus() != null && version.equals(a.getStatus().stableVersion())
              && a.getStatus().releaseVersion() == null
              && a.getStatus().condition("Ready").filter(c -> "True".equals(c.getStatus())).isPresent())
          .count();
    }

    Durations durations(Map<String, Long> from, Map<String, Long> to) {
      List<Long> d = new ArrayList<>();
      to.forEach((app, end) -> {
        Long start = from.get(app);
        if (start != null) {
          d.add(end - start);
        }
      });
      return new Durations(d.stream().mapToLong(Long::longValue).sorted().toArray());
    }

    @Override
    public void close() {
      applications.close();
      canaries.close();
    }
  }

  /** Per-application durations, sorted. */
  record Durations(long[] sortedNanos) {
    String summary() {
      ReconcileTimes.Samples s = new ReconcileTimes.Samples(sortedNanos);
      return String.format(Locale.ROOT, "%.2f s / %.2f s", s.percentileMillis(50) / 1000, s.percentileMillis(95) / 1000);
    }
  }

  private record Handler<T>(java.util.function.Consumer<T> seen) implements ResourceEventHandler<T> {
    @Override
    public void onAdd(T obj) {
      seen.accept(obj);
    }

    @Override
    public void onUpdate(T oldObj, T newObj) {
      seen.accept(newObj);
    }

    @Override
    public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
  }
}
