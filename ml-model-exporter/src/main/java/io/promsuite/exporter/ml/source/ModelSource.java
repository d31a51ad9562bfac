package io.promsuite.exporter.ml.source;

import java.util.List;

/**
 * Where a team's models live (a directory tree, an S3 bucket, an MLflow registry). The catalog calls
 * {@link #read()} from its background refresh, never from a scrape, and never concurrently with
 * itself, so a source may keep caches between calls.
 */
public interface ModelSource extends AutoCloseable {

  /** Unique name, the {@code source} label. */
  String name();

  /** {@code local}, {@code s3} or {@code mlflow}. */
  String type();

  /**
   * Reads every model. Problems with one model are counted in its {@link ModelReading#errors()} and
   * logged; only a failure of the whole source (unreachable, denied, root missing) throws.
   */
  List<ModelReading> read() throws Exception;

  @Override
  default void close() {}
}
