package io.promsuite.exporter.blackbox;

import io.promsuite.exporter.common.config.YamlConfig;
import io.promsuite.exporter.common.config.http.Secret;
import java.time.Duration;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** The loaded configuration as YAML for {@code GET /config} and debug output, secrets masked. */
final class ConfigView {
  private ConfigView() {}

  static String yaml(Object config) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    return new Yaml(options).dump(YamlConfig.tree(config, ConfigView::shown));
  }

  /** A leaf as blackbox_exporter shows it: a secret masked, a regexp's text, a Go duration; null for the rest. */
  private static Object shown(Object value) {
    return switch (value) {
      case Secret s -> s.isEmpty() ? "" : "<secret>";
      case Pattern re -> re.pattern();
      case Duration d -> goDuration(d);
      default -> null;
    };
  }

  /** Go's time.Duration String(): 5s, 1m30s, 500ms, 0s. */
  static String goDuration(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toMillis() < 1000 && d.toNanosPart() % 1_000_000 == 0) {
      return d.toMillis() + "ms";
    }
    StringBuilder sb = new StringBuilder();
    if (d.toHours() > 0) {
      sb.append(d.toHours()).append('h');
    }
    if (d.toMinutesPart() > 0 || d.toHours() > 0) {
      sb.append(d.toMinutesPart()).append('m');
    }
    double s = d.toSecondsPart() + d.toNanosPart() / 1e9;
    sb.append(s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s)).append('s');
    return sb.toString();
  }
}
