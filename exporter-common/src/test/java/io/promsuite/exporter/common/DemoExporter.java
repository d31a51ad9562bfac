package io.promsuite.exporter.common;

import io.promsuite.exporter.common.config.ConfigException;
import io.promsuite.exporter.common.config.YamlConfig;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/** A tiny exporter for tests that need a real process (exit codes, signals, reload). */
public final class DemoExporter {
  private DemoExporter() {}

  /** The demo's config file: a value to export. */
  public record DemoConfig(Double value) {}

  public static void main(String[] args) {
    AtomicReference<DemoConfig> config = new AtomicReference<>(new DemoConfig(42.0));
    Exporter.builder("demo-exporter", "demo")
        .defaultListenAddress("127.0.0.1:0")
        .flags(f -> f.string("config.file", "", "Demo config.")
            .bool("demo.fault-at-start", false, "A bug of ours at start (a NullPointerException), for the error-line test."))
        .collector("ok", true, "always works",
            f -> sink -> sink.gauge("demo_value", "A value.").add(config.get().value()))
        .setup(ctx -> {
          if (ctx.flags().bool("demo.fault-at-start")) {
            Object missing = null;
            missing.hashCode();
          }
          String file = ctx.flags().get("config.file");
          if (file.isEmpty()) {
            return;
          }
          config.set(load(Path.of(file)));
          ctx.onReload(() -> config.set(load(Path.of(file))));
        })
        .run(args);
  }

  private static DemoConfig load(Path file) throws ConfigException {
    return new YamlConfig().load(file, DemoConfig.class, new DemoConfig(0.0));
  }
}
