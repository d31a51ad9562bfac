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

  /** A counter, named as exposed: with {@code _total}, unless it is a text file's that lacks it. */
  Family counter(String name, String help, String... labelNames);

  /** An info metric (value 1); {@code name} ends in {@code _info} as it is exposed. */
  Family info(String name, String help, String... labelNames);

  /** A family without a type ({@code untyped}), as node_exporter's netstat and vmstat fields are. */
  default Family untyped(String name, String help, String... labelNames) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take untyped families");
  }

  /**
   * A histogram or summary whose samples arrive whole (a text file's, already aggregated): per label
   * set, cumulative bucket counts by upper bound or values by quantile, with sum and count.
   */
  interface Distribution {
    /**
     * @param keys bucket upper bounds (histogram) or quantiles (summary)
     * @param values cumulative counts (histogram) or quantile values (summary), lined up with keys
     */
    Distribution add(double[] keys, double[] values, double sum, double count, String... labelValues);
  }

  /** A histogram; a {@code +Inf} bucket holding the count is added when {@code keys} lack one. */
  default Distribution histogram(String name, String help, String... labelNames) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take histograms");
  }

  default Distribution summary(String name, String help, String... labelNames) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take summaries");
  }

  /**
   * Families rendered before the scrape (at a background refresh); none of them may share a name
   * with a family written directly. Sinks that only collect (a probe's) do not take them.
   */
  default void prerendered(Prerendered families) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take pre-rendered families");
  }
}
