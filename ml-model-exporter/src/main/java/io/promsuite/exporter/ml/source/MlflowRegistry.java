package io.promsuite.exporter.ml.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promsuite.exporter.common.log.Logging;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Models of an MLflow model registry, over its REST API 2.0: registered models, their versions, and
 * the metrics of the run that produced the serving version. The serving version is the one the
 * configured alias points at, else the newest in stage Production, else the newest version.
 * A model whose {@code last_updated_timestamp} did not change is not asked for its versions again,
 * and finished runs are fetched once.
 */
public final class MlflowRegistry implements ModelSource {
  private static final Logger LOG = Logger.getLogger(MlflowRegistry.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DATASET_PREFIX =
      Pattern.compile("(train|training|val|valid|validation|test|eval|evaluation|holdout)_(.+)");
  private static final Set<String> FINISHED = Set.of("FINISHED", "FAILED", "KILLED");

  private final String name;
  private final MlflowApi api;
  private final String servingAlias;
  private final String defaultDataset;
  private Map<String, CachedVersions> versionCache = Map.of();
  private Map<String, RunFacts> runCache = Map.of();
  /** Facts of every run read well that a serving version still uses, for when its lookup fails. */
  private Map<String, RunFacts> lastGoodRuns = Map.of();
  /** Lookups whose failure was logged and counted; logged again only after they worked once. */
  private Set<String> failing = Set.of();

  private record CachedVersions(long lastUpdated, List<JsonNode> versions) {}

  /** What a run tells about a model version. */
  record RunFacts(List<EvalMetric> metrics, double datasetSize, double datasetLastUpdated) {}

  private static final Pattern RUN_ARTIFACT = Pattern.compile("(?:runs:/([^/]+)/|.*/([^/]+)/artifacts/)(.+)");
  private Map<String, Double> sizeCache = Map.of();

  /**
   * @param authorization Authorization header per request, or null
   * @param servingAlias alias naming the serving version, or null
   * @param defaultDataset {@code dataset} label of metrics without a dataset prefix
   */
  public MlflowRegistry(String name, String url, Duration timeout, Supplier<String> authorization, String servingAlias,
      String defaultDataset) {
    this.name = name;
    this.api = new MlflowApi(url, timeout, authorization);
    this.servingAlias = servingAlias;
    this.defaultDataset = defaultDataset;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String type() {
    return "mlflow";
  }

  @Override
  public List<ModelReading> read() throws IOException, InterruptedException {
    List<JsonNode> models = api.registeredModels();
    Map<String, CachedVersions> nextVersions = new HashMap<>();
    Map<String, RunFacts> nextRuns = new HashMap<>();
    Map<String, Double> nextSizes = new HashMap<>();
    Map<String, RunFacts> nextGoodRuns = new HashMap<>();
    Set<String> nextFailing = new HashSet<>();
    List<ModelReading> out = new ArrayList<>(models.size());
    for (JsonNode m : models) {
      String model = m.path("name").asText("");
      if (model.isEmpty()) {
        continue;
      }
      int errors = 0;
      long updated = m.path("last_updated_timestamp").asLong(-1);
      CachedVersions cached = versionCache.get(model);
      List<JsonNode> versions;
      if (cached != null && cached.lastUpdated() == updated && updated >= 0) {
        versions = cached.versions();
        nextVersions.put(model, cached);
      } else {
        String key = "versions of " + model;
        try {
          versions = api.modelVersions(model);
          recovered(key, nextFailing, model, "");
          nextVersions.put(model, new CachedVersions(updated, versions));
        } catch (IOException e) {
          // What the search told (the latest version per stage, fresh) over the last listing we had,
          // so neither a new Production version nor the older ones are lost. The old listing is kept
          // with its old timestamp: the next refresh asks again.
          errors += failed(key, nextFailing, () -> Logging.log(LOG, Level.WARNING, "cannot list model versions",
              "source", name, "model", model, "err", e.getMessage(),
              "using", cached != null ? "the last listing and the latest version per stage" : "the latest version per stage"));
          Map<String, JsonNode> merged = new LinkedHashMap<>();
          if (cached != null) {
            cached.versions().forEach(v -> merged.put(v.path("version").asText(), v));
            nextVersions.put(model, cached);
          }
          m.path("latest_versions").forEach(v -> merged.put(v.path("version").asText(), v));
          versions = List.copyOf(merged.values());
        }
      }
      List<JsonNode> usable = versions.stream().filter(v -> !"FAILED_REGISTRATION".equals(v.path("status").asText()))
          .toList();
      if (usable.isEmpty()) {
        continue;
      }
      String[] viaAlias = {null};
      JsonNode serving = serving(m, usable, viaAlias);
      String stage = serving.path("current_stage").asText("");
      if (stage.isEmpty() || stage.equals("None")) {
        stage = viaAlias[0] == null ? "" : viaAlias[0];
      }
      double created = serving.has("creation_timestamp") ? serving.path("creation_timestamp").asLong() / 1000.0 : Double.NaN;
      RunFacts run = new RunFacts(List.of(), Double.NaN, Double.NaN);
      String runId = serving.path("run_id").asText("");
      String version = serving.path("version").asText();
      List<String> unreadable = List.of();
      if (!runId.isEmpty()) {
        String key = "runs/" + runId;
        try {
          run = runFacts(runId, nextRuns);
          nextGoodRuns.put(runId, run);
          recovered(key, nextFailing, model, version);
        } catch (IOException e) {
          // The run's metrics and dataset facts as last read, so a flaky lookup hides nothing.
          RunFacts good = lastGoodRuns.get(runId);
          errors += failed(key, nextFailing, () -> Logging.log(LOG, Level.WARNING, "cannot get the run of a model version",
              "source", name, "model", model, "version", version, "key", key, "err", e.getMessage(),
              "using", good != null ? "its last good reading" : "nothing (no good reading since start)"));
          if (good != null) {
            run = good;
            nextGoodRuns.put(runId, good);
          }
          unreadable = List.of(version);
        }
      }
      double size = Double.NaN;
      try {
        size = artifactBytes(serving, runId, nextSizes);
      } catch (IOException e) {
        String key = serving.path("source").asText();
        errors += failed("artifacts " + key, nextFailing, () -> Logging.log(LOG, Level.WARNING,
            "cannot list the artifacts of a model version", "source", name, "model", model, "version", version,
            "key", key, "err", e.getMessage()));
      }
      out.add(new ModelReading(model, version, stage, usable.size(), created, size,
          run.datasetSize(), run.datasetLastUpdated(), run.metrics(), errors, unreadable));
    }
    versionCache = nextVersions;
    runCache = nextRuns;
    sizeCache = nextSizes;
    lastGoodRuns = nextGoodRuns;
    failing = nextFailing;
    return out;
  }

  /** Marks {@code key} failing; logs and counts (returns 1) only when it was not failing already. */
  private int failed(String key, Set<String> nextFailing, Runnable log) {
    nextFailing.add(key);
    if (failing.contains(key)) {
      return 0;
    }
    log.run();
    return 1;
  }

  /** Says once that {@code key}, which was failing, reads again. */
  private void recovered(String key, Set<String> nextFailing, String model, String version) {
    if (failing.contains(key) && !nextFailing.contains(key)) {
      Logging.log(LOG, Level.INFO, "model metadata readable again", "source", name, "model", model, "version", version,
          "key", key);
    }
  }

  private JsonNode serving(JsonNode model, List<JsonNode> versions, String[] viaAlias) {
    if (servingAlias != null) {
      for (JsonNode a : model.path("aliases")) {
        if (servingAlias.equals(a.path("alias").asText())) {
          String v = a.path("version").asText();
          for (JsonNode candidate : versions) {
            if (candidate.path("version").asText().equals(v)) {
              viaAlias[0] = servingAlias;
              return candidate;
            }
          }
        }
      }
    }
    JsonNode newest = null;
    JsonNode newestProduction = null;
    for (JsonNode v : versions) {
      if (newest == null || VersionOrder.INSTANCE.compare(v.path("version").asText(), newest.path("version").asText()) > 0) {
        newest = v;
      }
      if ("Production".equalsIgnoreCase(v.path("current_stage").asText())
          && (newestProduction == null
              || VersionOrder.INSTANCE.compare(v.path("version").asText(), newestProduction.path("version").asText()) > 0)) {
        newestProduction = v;
      }
    }
    return newestProduction != null ? newestProduction : newest;
  }

  private RunFacts runFacts(String runId, Map<String, RunFacts> nextRuns) throws IOException, InterruptedException {
    RunFacts cached = runCache.get(runId);
    if (cached != null) {
      nextRuns.put(runId, cached);
      return cached;
    }
    JsonNode run = api.run(runId);
    List<EvalMetric> metrics = new ArrayList<>();
    for (JsonNode m : run.path("data").path("metrics")) {
      String key = m.path("key").asText("");
      if (key.isEmpty() || key.startsWith("system/") || !m.path("value").isNumber()) {
        continue; // system metrics (CPU, GPU) describe the training machine, not the model
      }
      metrics.add(metric(key, m.path("value").doubleValue(), defaultDataset));
    }
    Map<String, String> values = new HashMap<>();
    for (JsonNode p : run.path("data").path("params")) {
      values.put(p.path("key").asText(), p.path("value").asText());
    }
    for (JsonNode t : run.path("data").path("tags")) {
      values.put(t.path("key").asText(), t.path("value").asText());
    }
    double size = values.containsKey("training_dataset_size") ? parseDouble(values.get("training_dataset_size")) : Double.NaN;
    if (Double.isNaN(size)) {
      size = trainingRows(run.path("inputs").path("dataset_inputs"));
    }
    double updated = values.containsKey("training_dataset_last_updated")
        ? Metadata.parseTime(values.get("training_dataset_last_updated")) : Double.NaN;
    RunFacts facts = new RunFacts(metrics, size, updated);
    if (FINISHED.contains(run.path("info").path("status").asText())) {
      nextRuns.put(runId, facts); // a finished run no longer changes
    }
    return facts;
  }

  /**
   * Size of the version's artifacts when its {@code source} lies in the run's artifact store
   * ({@code runs:/<run>/model}, {@code .../<run>/artifacts/model}); NaN for other sources
   * (a registry-internal {@code models:/} location, a path outside the run). A version's files do
   * not change once registered, so each is listed once.
   */
  private double artifactBytes(JsonNode version, String runId, Map<String, Double> nextSizes)
      throws IOException, InterruptedException {
    Matcher m = RUN_ARTIFACT.matcher(version.path("source").asText(""));
    String run = m.matches() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
    if (run == null || !run.equals(runId)) {
      return Double.NaN;
    }
    String key = runId + "/" + m.group(3);
    Double cached = sizeCache.get(key);
    double size = cached != null ? cached : api.artifactBytes(runId, m.group(3));
    nextSizes.put(key, size);
    return size;
  }

  /** {@code num_rows} from the profile of the dataset input logged with context "training". */
  private static double trainingRows(JsonNode inputs) {
    for (JsonNode in : inputs) {
      boolean training = false;
      for (JsonNode t : in.path("tags")) {
        String v = t.path("value").asText();
        training |= "mlflow.data.context".equals(t.path("key").asText()) && (v.equals("training") || v.equals("train"));
      }
      if (!training) {
        continue;
      }
      try {
        JsonNode profile = JSON.readTree(in.path("dataset").path("profile").asText("{}"));
        if (profile.path("num_rows").isNumber()) {
          return profile.path("num_rows").doubleValue();
        }
      } catch (IOException e) {
        // a profile that is not JSON tells us nothing
      }
    }
    return Double.NaN;
  }

  /** {@code val_accuracy}, {@code test/f1} or plain {@code accuracy} (then the default dataset). */
  static EvalMetric metric(String key, double value, String defaultDataset) {
    int slash = key.indexOf('/');
    if (slash > 0 && slash < key.length() - 1) {
      return new EvalMetric(key.substring(0, slash), key.substring(slash + 1), value);
    }
    Matcher m = DATASET_PREFIX.matcher(key);
    if (m.matches()) {
      return new EvalMetric(m.group(1), m.group(2), value);
    }
    return new EvalMetric(defaultDataset, key, value);
  }

  private static double parseDouble(String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
