package io.promsuite.exporter.ml.source;

import java.util.List;

/**
 * What a source knows about one model's serving version. Numbers that the source could not learn
 * are {@code NaN} and are left out of the exposition rather than reported as zero.
 *
 * @param model model name, the {@code model} label
 * @param version the serving version
 * @param stage stage from metadata or the registry ("" when unknown)
 * @param versions how many complete versions the model has
 * @param createdSeconds creation/registration time of the serving version, unix seconds
 * @param sizeBytes sum of the serving version's artifact sizes
 * @param datasetSize number of examples in the training dataset
 * @param datasetLastUpdatedSeconds when the training dataset last changed, unix seconds
 * @param metrics evaluation metrics of the serving version
 * @param errors problems met while reading this model (bad metadata, failed lookups) that were not
 *     counted before: a problem that stays (the same broken file) is counted once
 * @param unreadableVersions versions whose metadata cannot be read now (their last good reading is used)
 */
public record ModelReading(String model, String version, String stage, int versions, double createdSeconds,
    double sizeBytes, double datasetSize, double datasetLastUpdatedSeconds, List<EvalMetric> metrics, int errors,
    List<String> unreadableVersions) {

  public ModelReading {
    metrics = List.copyOf(metrics);
    unreadableVersions = List.copyOf(unreadableVersions);
  }

  /** A reading with every version's metadata readable. */
  public ModelReading(String model, String version, String stage, int versions, double createdSeconds, double sizeBytes,
      double datasetSize, double datasetLastUpdatedSeconds, List<EvalMetric> metrics, int errors) {
    this(model, version, stage, versions, createdSeconds, sizeBytes, datasetSize, datasetLastUpdatedSeconds, metrics,
        errors, List.of());
  }
}
