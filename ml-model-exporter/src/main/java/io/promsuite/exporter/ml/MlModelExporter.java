package io.promsuite.exporter.ml;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.cli.Flags;
import io.promsuite.exporter.common.config.ConfigException;
import io.promsuite.exporter.common.config.YamlConfig;
import io.promsuite.exporter.common.log.Logging;
import io.promsuite.exporter.ml.config.ExporterConfig;
import io.promsuite.exporter.ml.config.SourceConfig;
import io.promsuite.exporter.ml.config.SourceFactory;
import io.promsuite.exporter.ml.source.LocalStore;
import io.promsuite.exporter.ml.source.ModelSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The ML model exporter: model freshness, size, training dataset and offline quality metrics from
 * local model stores, S3 buckets and MLflow registries listed in {@code --config.file}, or from
 * {@code --store.local.path} when there is no config.
 */
public final class MlModelExporter {
  private static final Logger LOG = Logger.getLogger(MlModelExporter.class.getName());

  private final SourceFactory factory;
  private final Clock clock;
  private final AtomicReference<ModelCatalog> catalog = new AtomicReference<>();
  /** Sources by the configuration that made them: a reload keeps those whose entry did not change. */
  private Map<SourceConfig, ModelSource> configured = Map.of();

  /** A started exporter and its catalog (for tests); closing the exporter closes the catalog too. */
  public record Running(Exporter.Running exporter, ModelCatalog catalog) implements AutoCloseable {
    public int port() {
      return exporter.port();
    }

    @Override
    public void close() {
      exporter.close();
    }
  }

  MlModelExporter(List<ExecutionInterceptor> s3Interceptors, Clock clock) {
    this.factory = new SourceFactory(s3Interceptors);
    this.clock = clock;
  }

  public static void main(String[] args) {
    Exporter.main("ml-model-exporter", () -> new MlModelExporter(List.of(), Clock.systemUTC()).builder(), args);
  }

  /** Starts the exporter for tests and benchmarks. */
  public static Running start(List<ExecutionInterceptor> s3Interceptors, Clock clock, String... args) throws Exception {
    MlModelExporter e = new MlModelExporter(s3Interceptors, clock);
    return new Running(e.builder().start(args), e.catalog.get());
  }

  Exporter.Builder builder() {
    return Exporter.builder("ml-model-exporter", "ml_model")
        .defaultListenAddress(":9101")
        .description("Freshness, size, training dataset and offline quality of ML models in local stores, S3 and MLflow.")
        .flags(f -> f
            .string("config.file", "", "Model sources (YAML). Without it, the exporter serves --store.local.path.")
            .string("store.local.path", "./models", "Model store directory <model>/<version>/ used when there is no --config.file.")
            .string("refresh.interval", "60s", "How often sources are re-read in the background; scrapes only read memory."))
        .collector("models", true, "ML model metrics from the configured sources",
            flags -> new ModelCollector(() -> {
              ModelCatalog c = catalog.get();
              return c == null ? ModelCatalog.Snapshot.EMPTY : c.snapshot();
            }, clock))
        .setup(ctx -> {
          Flags flags = ctx.flags();
          Duration interval = flags.duration("refresh.interval");
          if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new FlagException("flag --refresh.interval must be at least 1s, got " + flags.get("refresh.interval"));
          }
          ModelCatalog c = new ModelCatalog(sources(flags), interval, clock);
          catalog.set(c);
          ctx.onClose(c);
          ctx.onReload(() -> c.replaceSources(sources(flags)));
          // Ready once the first scrape can report every source's models (quickstart, k8s readiness probes).
          ctx.readiness(() -> c.refreshedOnce() ? null : "the first read of the model sources has not finished");
          c.start();
        });
  }

  /** The sources of {@code --config.file}, or the local store of {@code --store.local.path}. */
  private synchronized List<ModelSource> sources(Flags flags) throws ConfigException {
    String file = flags.get("config.file");
    if (file.isEmpty()) {
      Path root = Path.of(flags.get("store.local.path"));
      Logging.log(LOG, Level.INFO, "no --config.file; serving the local model store", "path", root.toAbsolutePath());
      return List.of(new LocalStore("local", root));
    }
    if (flags.isSet("store.local.path")) {
      Logging.log(LOG, Level.WARNING, "--store.local.path is ignored when --config.file is given; add a local source to the file",
          "file", file);
    }
    ExporterConfig config = new YamlConfig().load(Path.of(file), ExporterConfig.class, ExporterConfig.EMPTY);
    Map<SourceConfig, ModelSource> next = new LinkedHashMap<>();
    try {
      for (SourceConfig c : config.sources()) {
        // An unchanged entry keeps its source, and with it the ETag and run caches: no cold refresh.
        ModelSource kept = configured.get(c);
        next.put(c, kept != null ? kept : factory.create(c));
      }
    } catch (RuntimeException e) {
      next.forEach((c, s) -> {
        if (configured.get(c) != s) {
          s.close();
        }
      });
      throw new ConfigException(Path.of(file), "cannot set up a source: " + e.getMessage());
    }
    configured = next;
    List<ModelSource> sources = List.copyOf(next.values());
    Logging.log(LOG, Level.INFO, "loaded model sources", "file", file, "sources", sources.size());
    return sources;
  }
}
