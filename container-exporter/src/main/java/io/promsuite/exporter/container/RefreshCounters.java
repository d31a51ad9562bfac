package io.promsuite.exporter.container;

import java.util.HashMap;
import java.util.Map;

/** Runs, failures and the last duration of each kind of background refresh ("list", "usage"). */
public final class RefreshCounters {
  /** One kind's numbers at one moment. */
  public record Stats(long runs, long errors, double lastDurationSeconds) {}

  private final Map<String, long[]> counters = new HashMap<>();

  RefreshCounters(String... kinds) {
    for (String kind : kinds) {
      counters.put(kind, new long[3]);
    }
  }

  synchronized void record(String kind, long nanos, boolean ok) {
    long[] c = counters.get(kind);
    c[0]++;
    if (!ok) {
      c[1]++;
    }
    c[2] = nanos;
  }

  synchronized Map<String, Stats> stats() {
    Map<String, Stats> out = new HashMap<>();
    counters.forEach((kind, c) -> out.put(kind, new Stats(c[0], c[1], c[2] / 1e9)));
    return Map.copyOf(out);
  }
}
