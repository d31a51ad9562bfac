package io.promsuite.exporter.ml;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import io.promsuite.exporter.common.collect.Prerendered;
import io.promsuite.exporter.ml.source.EvalMetric;
import io.promsuite.exporter.ml.source.ModelReading;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Turns the catalog's current snapshot into the ML metrics. Reads memory only (scrapes never call
 * S3 or MLflow); {@code ml_model_age_seconds} is the one value computed at scrape time. Everything
 * else changes only when the catalog publishes a new snapshot, so it is rendered once per snapshot
 * ({@link Prerendered}) and a scrape of 1,000 models writes 1,000 lines, not 11,000.
 */
public final class ModelCollector implements Collector {
  private final Supplier<ModelCatalog.Snapshot> snapshot;
  private final Clock clock;
  private final java.util.concurrent.atomic.AtomicReference<Rendered> rendered =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** The families of one catalog snapshot other than the age, rendered. */
  private record Rendered(ModelCatalog.Snapshot snapshot, Prerendered families) {}

  public ModelCollector(Supplier<ModelCatalog.Snapshot> snapshot, Clock clock) {
    this.snapshot = snapshot;
    this.clock = clock;
  }

  @Override
  public void collect(MetricSink sink) {
    ModelCatalog.Snapshot snap = snapshot.get();
    double now = clock.millis() / 1000.0;
    MetricSink.Family age = sink.gauge("ml_model_age_seconds",
        "Seconds since the serving version was created or registered.", "model");
    for (ModelCatalog.Entry e : snap.models()) {
      ModelReading m = e.reading();
      if (!Double.isNaN(m.createdSeconds())) {
        age.add(Math.max(0, now - m.createdSeconds()), m.model());
      }
    }
    sink.prerendered(rendered(snap));
  }

  /** The snapshot's other families, rendered by the first scrape that sees the snapshot. */
  private Prerendered rendered(ModelCatalog.Snapshot snap) {
    Rendered r = rendered.get();
    if (r != null && r.snapshot() == snap) {
      return r.families();
    }
    synchronized (rendered) {
      r = rendered.get();
      if (r == null || r.snapshot() != snap) {
        r = new Rendered(snap, Prerendered.render(s -> writeStatic(snap, s)));
        rendered.set(r);
      }
      return r.families();
    }
  }

  private static void writeStatic(ModelCatalog.Snapshot snap, MetricSink sink) {
    MetricSink.Family size = sink.gauge("ml_model_size_bytes", "Sum of the serving version's artifact sizes.", "model");
    MetricSink.Family dsSize = sink.gauge("ml_training_dataset_size",
        "Number of examples in the serving version's training dataset.", "model");
    MetricSink.Family dsUpdated = sink.gauge("ml_training_dataset_last_updated",
        "When the serving version's training dataset last changed, unix seconds.", "model");
    MetricSink.Family accuracy = sink.gauge("ml_model_accuracy", "Offline accuracy of the serving version.",
        "model", "dataset");
    MetricSink.Family f1 = sink.gauge("ml_model_f1_score", "Offline F1 score of the serving version.", "model", "dataset");
    MetricSink.Family other = sink.gauge("ml_model_metric",
        "Other offline evaluation metrics of the serving version.", "model", "dataset", "metric");
    MetricSink.Family info = sink.info("ml_model_info", "The serving version of a model, its stage and source.",
        "model", "version", "stage", "source");
    MetricSink.Family versions = sink.gauge("ml_model_versions", "Number of complete versions of a model.", "model");
    for (ModelCatalog.Entry e : snap.models()) {
      ModelReading m = e.reading();
      String model = m.model();
      info.add(1, model, m.version(), m.stage(), e.source());
      versions.add(m.versions(), model);
      addKnown(size, m.sizeBytes(), model);
      addKnown(dsSize, m.datasetSize(), model);
      addKnown(dsUpdated, m.datasetLastUpdatedSeconds(), model);
      for (EvalMetric em : m.metrics()) {
        switch (em.metric().toLowerCase()) {
          case "accuracy", "accuracy_score", "acc" -> accuracy.add(em.value(), model, em.dataset());
          case "f1", "f1_score", "f1score" -> f1.add(em.value(), model, em.dataset());
          default -> other.add(em.value(), model, em.dataset(), em.metric());
        }
      }
    }
    MetricSink.Family up = sink.gauge("ml_model_exporter_source_up",
        "1 when the last refresh of the source succeeded, 0 when it failed (its last known models stay reported).",
        "source");
    MetricSink.Family last = sink.gauge("ml_model_exporter_source_last_refresh_timestamp_seconds",
        "When the last refresh of the source ended (successful or not), unix seconds.", "source");
    MetricSink.Family duration = sink.gauge("ml_model_exporter_source_refresh_duration_seconds",
        "How long the last refresh of the source took.", "source");
    MetricSink.Family models = sink.gauge("ml_model_exporter_source_models", "Models the source reported.", "source");
    MetricSink.Family failures = sink.counter("ml_model_exporter_source_errors_total",
        "Refreshes of the source that failed as a whole (unreachable, denied, root missing).", "source");
    for (ModelCatalog.SourceStatus s : snap.sources()) {
      up.add(s.up() ? 1 : 0, s.name());
      last.add(s.lastRefreshSeconds(), s.name());
      duration.add(s.durationSeconds(), s.name());
      models.add(s.models(), s.name());
      failures.add(s.failures(), s.name());
    }
    MetricSink.Family modelErrors = sink.counter("ml_model_exporter_model_errors_total",
        "Problems met reading a model (malformed metadata, unreadable objects, failed run lookups); a problem that persists is counted once, not at every refresh.",
        "source", "model");
    for (ModelCatalog.ErrorCount c : snap.modelErrors()) {
      modelErrors.add(c.total(), c.source(), c.model());
    }
    MetricSink.Family unreadable = sink.gauge("ml_model_exporter_metadata_unreadable",
        "1 for each model version whose metadata cannot be read now (unreadable file, failed download or run lookup); "
            + "its last good reading is used meanwhile.",
        "source", "model", "version");
    for (ModelCatalog.Unreadable u : snap.unreadable()) {
      unreadable.add(1, u.source(), u.model(), u.version());
    }
  }

  private static void addKnown(MetricSink.Family family, double value, String model) {
    if (!Double.isNaN(value)) {
      family.add(value, model);
    }
  }
}
