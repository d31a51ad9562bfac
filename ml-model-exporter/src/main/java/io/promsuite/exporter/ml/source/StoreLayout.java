package io.promsuite.exporter.ml.source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The {@code <root>/<model>/<version>/} layout shared by {@link LocalStore} and {@link S3Store}:
 * which files are artifacts, and which version of a model serves.
 */
public final class StoreLayout {
  private StoreLayout() {}

  /**
   * One complete version as a store found it.
   *
   * @param version the version directory's name
   * @param sizeBytes sum of its artifact sizes
   * @param lastModifiedSeconds newest artifact modification time, unix seconds
   * @param metadata its metadata file, or {@link Metadata#NONE}
   * @param errors problems reading it not reported before (metadata unreadable or malformed fields)
   * @param unreadable its metadata file cannot be read now ({@code metadata} is then its last good reading)
   */
  public record Version(String version, double sizeBytes, double lastModifiedSeconds, Metadata metadata, int errors,
      boolean unreadable) {}

  /**
   * False for files that are not (yet) artifacts: hidden files and the partial files uploaders and
   * copy tools write before renaming ({@code .tmp}, {@code .part}, {@code .partial}, {@code .crdownload}).
   */
  public static boolean isArtifact(String fileName) {
    if (fileName.isEmpty() || fileName.startsWith(".") || fileName.startsWith("_tmp")) {
      return false;
    }
    String lower = fileName.toLowerCase();
    return !(lower.endsWith(".tmp") || lower.endsWith(".part") || lower.endsWith(".partial")
        || lower.endsWith(".crdownload") || Metadata.isMetadataFile(fileName));
  }

  /**
   * The serving version: the newest one whose metadata says {@code serving: true}; else the newest
   * one not marked {@code serving: false}; else the newest.
   */
  public static Version serving(List<Version> versions) {
    List<Version> sorted = new ArrayList<>(versions);
    sorted.sort(Comparator.comparing(Version::version, VersionOrder.INSTANCE).reversed());
    for (Version v : sorted) {
      if (Boolean.TRUE.equals(v.metadata().serving())) {
        return v;
      }
    }
    for (Version v : sorted) {
      if (!Boolean.FALSE.equals(v.metadata().serving())) {
        return v;
      }
    }
    return sorted.getFirst();
  }

  /** Readings for every model with at least one complete version. */
  public static List<ModelReading> readings(Map<String, List<Version>> models, Map<String, Integer> modelErrors) {
    List<ModelReading> out = new ArrayList<>(models.size());
    for (Map.Entry<String, List<Version>> e : models.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      Version s = serving(e.getValue());
      Metadata m = s.metadata();
      int errors = modelErrors.getOrDefault(e.getKey(), 0);
      List<String> unreadable = new ArrayList<>();
      for (Version v : e.getValue()) {
        errors += v.errors();
        if (v.unreadable()) {
          unreadable.add(v.version());
        }
      }
      unreadable.sort(VersionOrder.INSTANCE);
      double created = Double.isNaN(m.createdSeconds()) ? s.lastModifiedSeconds() : m.createdSeconds();
      out.add(new ModelReading(e.getKey(), s.version(), m.stage(), e.getValue().size(), created, s.sizeBytes(),
          m.datasetSize(), m.datasetLastUpdatedSeconds(), m.metrics(), errors, unreadable));
    }
    return out;
  }
}
