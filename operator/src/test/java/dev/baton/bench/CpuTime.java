package dev.baton.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of the JVM during a phase, split by who spent it, from the threads' names: the embedded API server, the
 * simulated controllers and the operator (its reconcile threads, and its client's threads: HTTP, watches, informers).
 * Cluster and operator share the JVM and its cores, so this says how much of a phase's figures is Baton's own work.
 */
final class CpuTime {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String API_SERVER = "embedded API server";
  private static final String SIMULATED = "simulated controllers";
  private static final String RECONCILE = "operator reconcile threads";
  private static final String CLIENT = "operator client (HTTP, watches, informers)";

  private final long process;
  /** CPU time by thread id, and the component each thread belongs to (absent: none of those reported). */
  private final Map<Long, Long> byThread;
  private final Map<Long, String> groups;

  private CpuTime(long process, Map<Long, Long> byThread, Map<Long, String> groups) {
    this.process = process;
    this.byThread = byThread;
    this.groups = groups;
  }

  /**
   * CPU time spent so far by the whole process and by each live thread.
   *
   * @param reconcileThreads the operator's reconcile threads, by id (the SDK names them only while they reconcile)
   * @param operatorClientThreads name prefixes of the operator's client threads
   */
  static CpuTime now(Set<Long> reconcileThreads, String... operatorClientThreads) {
    Map<Long, Long> byThread = new HashMap<>();
    Map<Long, String> groups = new HashMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long id = info.getThreadId();
      String name = info.getThreadName();
      byThread.put(id, THREADS.getThreadCpuTime(id));
      if (reconcileThreads.contains(id)) {
        groups.put(id, RECONCILE);
      } else if (name.startsWith("vert.x-") || name.startsWith("embedded-apiserver")) {
        groups.put(id, API_SERVER);
      } else if (name.startsWith("sim-")) {
        groups.put(id, SIMULATED);
      } else if (Arrays.stream(operatorClientThreads).anyMatch(name::startsWith)) {
        groups.put(id, CLIENT);
      }
    }
    long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    return new CpuTime(process, byThread, groups);
  }

  /**
   * What was spent since {@code start}, e.g. {@code 41.2 s in all: embedded API server 25.0 s, ...}, then the other
   * Java threads (the other clients', the benchmark's) and the JVM's own (GC, JIT). A thread that ended during the
   * phase counts as the JVM's.
   */
  String since(CpuTime start) {
    Map<String, Long> spent = new LinkedHashMap<>();
    for (String group : List.of(API_SERVER, SIMULATED, RECONCILE, CLIENT)) {
      spent.put(group, 0L);
    }
    long threads = 0;
    for (Map.Entry<Long, Long> thread : byThread.entrySet()) {
      long id = thread.getKey();
      long cpu = Math.max(0, thread.getValue() - Math.max(0, start.byThread.getOrDefault(id, 0L)));
      threads += cpu;
      // A thread first known at the end (a reconcile thread's first reconcile) is counted in its group then.
      String group = groups.containsKey(id) ? groups.get(id) : start.groups.get(id);
      if (group != null) {
        spent.merge(group, cpu, Long::sum);
      }
    }
    long total = process - start.process;
    long grouped = spent.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder s = new StringBuilder(seconds(total) + " in all: ");
    spent.forEach((group, nanos) -> s.append(group).append(' ').append(seconds(nanos)).append(", "));
    // The JVM's own threads (GC, JIT compilers) are not Java threads the MXBean lists.
    return s.append("other Java threads (the cluster's and the benchmark's clients) ")
        .append(seconds(Math.max(0, threads - grouped))).append(", the JVM itself (GC, JIT) ")
        .append(seconds(Math.max(0, total - threads))).toString();
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
