package io.promsuite.exporter.ml.source;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The optional {@code metadata.json} / {@code metadata.yaml} of a model version. Parsing is
 * forgiving on purpose: a field that is wrong is dropped and named in {@link #problems()}, and the
 * other fields are still used, so one typo never hides a model.
 *
 * @param stage {@code stage}, or "" when absent
 * @param serving {@code serving}: TRUE/FALSE when given, null when absent
 * @param createdSeconds {@code created}, unix seconds, NaN when absent
 * @param datasetSize {@code training_dataset.size}, NaN when absent
 * @param datasetLastUpdatedSeconds {@code training_dataset.last_updated}, NaN when absent
 * @param metrics {@code evaluation.<dataset>.<metric>}
 * @param problems what was wrong, one entry per problem
 * @param unreadable true when nothing of the file could be used (cannot be read, not JSON/YAML, empty)
 */
public record Metadata(String stage, Boolean serving, double createdSeconds, double datasetSize,
    double datasetLastUpdatedSeconds, List<EvalMetric> metrics, List<String> problems, boolean unreadable) {

  /** Metadata of a version that has no metadata file. */
  public static final Metadata NONE = new Metadata("", null, Double.NaN, Double.NaN, Double.NaN, List.of(), List.of(), false);

  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  public Metadata {
    metrics = List.copyOf(metrics);
    problems = List.copyOf(problems);
  }

  /** True for the file names that hold metadata rather than an artifact. */
  public static boolean isMetadataFile(String fileName) {
    return fileName.equals("metadata.json") || fileName.equals("metadata.yaml") || fileName.equals("metadata.yml");
  }

  /** Parses the content of {@code fileName} (JSON or YAML by extension). */
  public static Metadata parse(String fileName, byte[] content) {
    JsonNode root;
    try {
      root = (fileName.endsWith(".json") ? JSON : YAML).readTree(content);
    } catch (JsonProcessingException e) {
      String format = fileName.endsWith(".json") ? "JSON" : "YAML";
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      String why = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage().lines().findFirst().orElse("");
      // Jackson appends "(start marker at [Source: ...])"; the line and column above say it better.
      why = why.replaceAll("\\s*\\(start marker at .*$", "");
      return unreadable("not valid " + format + where + ": " + why);
    } catch (IOException e) {
      return unreadable("cannot read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return unreadable("empty file");
    }
    if (!root.isObject()) {
      return unreadable("expected a mapping at the top level, got " + root.getNodeType().toString().toLowerCase());
    }
    List<String> problems = new ArrayList<>();
    String stage = "";
    JsonNode s = root.get("stage");
    if (s != null && !s.isNull()) {
      if (s.isValueNode()) {
        stage = s.asText();
      } else {
        problems.add("field \"stage\": expected a string");
      }
    }
    Boolean serving = null;
    JsonNode sv = root.get("serving");
    if (sv != null && !sv.isNull()) {
      if (sv.isBoolean()) {
        serving = sv.booleanValue();
      } else {
        problems.add("field \"serving\": expected true or false, got " + sv);
      }
    }
    double created = timestamp(root.get("created"), "created", problems);
    double size = Double.NaN;
    double updated = Double.NaN;
    JsonNode ds = root.get("training_dataset");
    if (ds != null && !ds.isNull()) {
      if (ds.isObject()) {
        size = number(ds.get("size"), "training_dataset.size", problems);
        updated = timestamp(ds.get("last_updated"), "training_dataset.last_updated", problems);
      } else {
        problems.add("field \"training_dataset\": expected a mapping with size and last_updated");
      }
    }
    List<EvalMetric> metrics = new ArrayList<>();
    JsonNode ev = root.get("evaluation");
    if (ev != null && !ev.isNull()) {
      if (ev.isObject()) {
        for (Map.Entry<String, JsonNode> dataset : ev.properties()) {
          if (!dataset.getValue().isObject()) {
            problems.add("field \"evaluation." + dataset.getKey() + "\": expected a mapping of metric: number");
            continue;
          }
          for (Map.Entry<String, JsonNode> metric : dataset.getValue().properties()) {
            double v = number(metric.getValue(), "evaluation." + dataset.getKey() + "." + metric.getKey(), problems);
            if (!Double.isNaN(v)) {
              metrics.add(new EvalMetric(dataset.getKey(), metric.getKey(), v));
            }
          }
        }
      } else {
        problems.add("field \"evaluation\": expected a mapping of dataset: {metric: number}");
      }
    }
    return new Metadata(stage, serving, created, size, updated, metrics, problems, false);
  }

  /** Metadata that could not be used at all, with the reason. */
  public static Metadata unreadable(String problem) {
    return new Metadata("", null, Double.NaN, Double.NaN, Double.NaN, List.of(), List.of(problem), true);
  }

  /** True when the {@code serving} field was present but not a boolean. */
  public boolean servingMalformed() {
    return problems.stream().anyMatch(p -> p.startsWith("field \"serving\""));
  }

  /** This metadata with {@code serving} replaced. */
  public Metadata withServing(Boolean value) {
    return new Metadata(stage, value, createdSeconds, datasetSize, datasetLastUpdatedSeconds, metrics, problems, unreadable);
  }

  private static double number(JsonNode n, String field, List<String> problems) {
    if (n == null || n.isNull()) {
      return Double.NaN;
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isTextual()) {
      try {
        return Double.parseDouble(n.textValue().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problems.add("field \"" + field + "\": expected a number, got " + n);
    return Double.NaN;
  }

  /** RFC 3339 date-time, a date (midnight UTC), or a number of unix seconds. */
  static double timestamp(JsonNode n, String field, List<String> problems) {
    if (n == null || n.isNull()) {
      return Double.NaN;
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isTextual()) {
      double t = parseTime(n.textValue().trim());
      if (!Double.isNaN(t)) {
        return t;
      }
    }
    problems.add("field \"" + field + "\": expected an RFC 3339 time (2024-05-01T12:00:00Z), a date or unix seconds, got " + n);
    return Double.NaN;
  }

  /** Unix seconds of an RFC 3339 time, a date, or a decimal number; NaN when it is none of them. */
  public static double parseTime(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli() / 1000.0;
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return Instant.parse(text).toEpochMilli() / 1000.0;
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    } catch (DateTimeParseException e) {
      // try the next form
    }
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
