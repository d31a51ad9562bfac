package io.promsuite.exporter.ml.testing;

import io.promsuite.exporter.common.collect.MetricSink;
import java.util.ArrayList;
import java.util.List;

/** A {@link MetricSink} that writes what a collector emits as exposition-like lines, for golden files. */
public final class RecordingSink implements MetricSink {
  private final List<String> lines = new ArrayList<>();

  private Family family(String type, String name, String help, String... labelNames) {
    lines.add("# TYPE " + name + " " + type);
    return (value, labelValues) -> {
      StringBuilder sb = new StringBuilder(name);
      if (labelNames.length > 0) {
        sb.append('{');
        for (int i = 0; i < labelNames.length; i++) {
          sb.append(i == 0 ? "" : ",").append(labelNames[i]).append("=\"").append(labelValues[i]).append('"');
        }
        sb.append('}');
      }
      lines.add(sb.append(' ').append(value).toString());
      return null;
    };
  }

  @Override
  public Family gauge(String name, String help, String... labelNames) {
    return family("gauge", name, help, labelNames);
  }

  @Override
  public Family counter(String name, String help, String... labelNames) {
    return family("counter", name, help, labelNames);
  }

  @Override
  public Family info(String name, String help, String... labelNames) {
    return family("info", name, help, labelNames);
  }

  @Override
  public void prerendered(io.promsuite.exporter.common.collect.Prerendered families) {
    families.replay(this);
  }

  public String text() {
    return String.join("\n", lines) + "\n";
  }
}
