package io.promsuite.exporter.ml.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code --config.file}: the model sources to watch. */
public record ExporterConfig(List<SourceConfig> sources) {
  public static final ExporterConfig EMPTY = new ExporterConfig(List.of());

  public ExporterConfig {
    sources = sources == null ? List.of() : List.copyOf(sources);
    Set<String> names = new HashSet<>();
    for (SourceConfig s : sources) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("two sources are named \"" + s.name() + "\"; give each a unique name");
      }
    }
  }
}
