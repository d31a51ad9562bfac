package io.promsuite.exporter.common.collect;

/**
 * One source of metrics (node_exporter's collector): reads something and writes families into a
 * {@link MetricSink}. The registry calls it on its own virtual thread under the scrape deadline,
 * never concurrently with itself; a thrown exception marks only this collector as failed.
 */
@FunctionalInterface
public interface Collector {
  void collect(MetricSink sink) throws Exception;
}
