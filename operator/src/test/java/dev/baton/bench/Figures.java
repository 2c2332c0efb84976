package dev.baton.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Measured figures by section, in the order measured, and the operator's API calls by kind per phase: Markdown. */
final class Figures {

  private final Map<String, List<String[]>> sections = new LinkedHashMap<>();
  private final Map<String, ApiCalls.Counts> calls = new LinkedHashMap<>();

  void add(String section, String figure, Object value) {
    sections.computeIfAbsent(section, s -> new ArrayList<>()).add(new String[] {figure, String.valueOf(value)});
  }

  /** The operator's API calls of one phase, by kind: one column of the calls table. */
  void addCalls(String phase, ApiCalls.Counts counts) {
    calls.put(phase.contains(":") ? phase.substring(0, phase.indexOf(':')) : phase, counts);
  }

  String toMarkdown() {
    StringBuilder s = new StringBuilder();
    s.append("| figure | value |\n|---|---|\n");
    sections.forEach((section, rows) -> {
      s.append("| **").append(section).append("** | |\n");
      rows.forEach(row -> s.append("| ").append(row[0]).append(" | ").append(row[1]).append(" |\n"));
    });
    if (!calls.isEmpty()) {
      s.append("\nThe operator's API calls by kind (a watch counted when opened):\n\n| call |");
      calls.keySet().forEach(phase -> s.append(' ').append(phase).append(" |"));
      s.append("\n|---|");
      calls.keySet().forEach(phase -> s.append("---:|"));
      s.append('\n');
      TreeSet<String> kinds = new TreeSet<>();
      calls.values().forEach(c -> kinds.addAll(c.byKind().keySet()));
      for (String kind : kinds) {
        s.append("| ").append(kind).append(" |");
        calls.values().forEach(c -> s.append(' ').append(c.byKind().getOrDefault(kind, 0L)).append(" |"));
        s.append('\n');
      }
      s.append("| **total** |");
      calls.values().forEach(c -> s.append(" **").append(c.total()).append("** |"));
      s.append('\n');
    }
    return s.toString();
  }
}
