package io.promsuite.e2e.stack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a stack's generated files into its work directory: the (scaled) rule files, one
 * Prometheus config per server, the Alertmanager config and the ML exporter's model store.
 */
final class StackFiles {
  private final StackOptions options;
  private final Path dir;

  StackFiles(StackOptions options) {
    this.options = options;
    this.dir = options.workDir();
  }

  /** Rule files from packaging/prometheus/rules, scaled in fast mode; returns the glob for rule_files. */
  String rules() throws IOException {
    Path out = Files.createDirectories(dir.resolve("rules"));
    RuleScaler scaler = options.fast()
        ? new RuleScaler(StackOptions.RULE_DIVISOR, StackOptions.WINDOW_FLOOR_MILLIS, StackOptions.FAST_INTERVAL)
        : null;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(options.layout().file(SuiteLayout.RULES), "*.yml")) {
      for (Path f : files) {
        Files.writeString(out.resolve(f.getFileName()), scaler == null ? Files.readString(f) : scaler.scale(f));
      }
    }
    return out.resolve("*.yml").toString();
  }

  Path prometheus(String name, String replica, List<String> alertmanagers, String rulesGlob, AddressBook book)
      throws IOException {
    String interval = options.fast() ? StackOptions.FAST_INTERVAL : null;
    String yaml = PrometheusConfigs.regional(options.layout().file(SuiteLayout.PROMETHEUS),
        new PrometheusConfigs.Options(interval, replica, alertmanagers, List.of(rulesGlob), book));
    return write(name + ".yml", yaml);
  }

  Path federation(AddressBook book) throws IOException {
    String interval = options.fast() ? StackOptions.FAST_INTERVAL : null;
    return write("prometheus-global.yml", PrometheusConfigs.federation(options.layout().file(SuiteLayout.FEDERATION), interval, book));
  }

  Path alertmanager(Function<String, String> webhookUrl) throws IOException {
    double divisor = options.fast() ? StackOptions.ROUTE_DIVISOR : 1;
    return write("alertmanager.yml", AlertmanagerConfigs.local(options.layout().file(SuiteLayout.ALERTMANAGER), webhookUrl, divisor));
  }

  /**
   * The ML exporter's model store: the suite's demo store, written by
   * packaging/ml-model-exporter/demo-models; or, for the tests, one fresh model (bert-base) and one
   * whose newest version is 10 days old (resnet50), which the MLModelStale alert is about.
   */
  Path models() throws IOException, InterruptedException {
    Path store = dir.resolve("models");
    if (options.demoModels()) {
      Path script = options.layout().file("ml-model-exporter/demo-models");
      Process p = new ProcessBuilder(script.toString(), store.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (p.waitFor() != 0) {
        throw new IOException(script + " failed: " + out);
      }
      return store;
    }
    model(store, "bert-base", "7", Instant.now());
    model(store, "resnet50", "3", Instant.now().minus(Duration.ofDays(10)));
    return store;
  }

  private static void model(Path store, String name, String version, Instant modified) throws IOException {
    Path v = Files.createDirectories(store.resolve(name).resolve(version));
    Path artifact = v.resolve("model.onnx");
    Files.write(artifact, new byte[4096]);
    Files.setLastModifiedTime(artifact, FileTime.from(modified));
  }

  private Path write(String name, String content) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }

  static List<String> list(String... parts) {
    return new ArrayList<>(List.of(parts));
  }
}
