package io.promsuite.exporter.common.collect;

/**
 * Where a collector writes its metrics, by family, with the exposition names users query
 * ({@code node_cpu_seconds_total}, {@code node_uname_info}): the sink maps them onto client_java
 * snapshots.
 */
public interface MetricSink {

  /** A family whose samples are added one label-value tuple at a time. */
  interface Family {
    /** Adds one sample; {@code labelValues} line up with the family's label names. */
    Family add(double value, String... labelValues);
  }

  Family gauge(String name, String help, String... labelNames);

  /** A counter; {@code name} as it is exposed, normally ending in {@code _total}. */
  Family counter(String name, String help, String... labelNames);

  /** An info metric (value 1); {@code name} ends in {@code _info} as it is exposed. */
  Family info(String name, String help, String... labelNames);

  /**
   * Families rendered before the scrape (at a background refresh); none of them may share a name
   * with a family written directly. Sinks that only collect (a probe's) do not take them.
   */
  default void prerendered(Prerendered families) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take pre-rendered families");
  }
}
