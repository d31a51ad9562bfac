package io.promsuite.exporter.common;

/** A tiny exporter for tests that need a real process (exit codes, signals). */
public final class DemoExporter {
  private DemoExporter() {}

  public static void main(String[] args) {
    Exporter.builder("demo-exporter", "demo")
        .defaultListenAddress("127.0.0.1:0")
        .collector("ok", true, "always works", f -> sink -> sink.gauge("demo_value", "A value.").add(42))
        .run(args);
  }
}
