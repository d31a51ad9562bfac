package io.promsuite.exporter.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.blackbox.config.BlackboxConfig;
import io.promsuite.exporter.blackbox.config.Module;
import io.promsuite.exporter.blackbox.prober.Deadline;
import io.promsuite.exporter.blackbox.prober.ProbeLog;
import io.promsuite.exporter.blackbox.prober.ProbeSink;
import io.promsuite.exporter.blackbox.prober.Prober;
import io.promsuite.exporter.blackbox.prober.Resolver;
import io.promsuite.exporter.blackbox.prober.TargetRules;
import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One probe run by calling a prober directly, as blackbox_exporter's {@code prober/*_test.go} call
 * {@code ProbeTCP}: a module written inline, a fresh sink and log, no HTTP handler in between (so
 * no probe_success or probe_duration_seconds: those are the handler's).
 */
record DirectProbe(boolean success, ProbeSink sink, ProbeLog log, Exposition metrics) {
  /** The resolver of an exporter started without --probe.allow/--probe.deny. */
  static final Resolver OPEN = new Resolver(TargetRules.OPEN);

  /** FNV-1a of 127.0.0.1's four bytes, as blackbox_exporter's ipHash computes it. */
  static final double LOOPBACK_V4_HASH = 3668918509.0;

  /** A module from its YAML body (the lines under the module's name), through the real config loader. */
  static Module module(String yaml) throws Exception {
    String indented = yaml.stripIndent().lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n");
    return BlackboxConfig.parse(Path.of("inline.yml"), "modules:\n  m:\n" + indented).modules().get("m");
  }

  /** Runs {@code prober} on {@code target} with the module's timeout (5 s when it has none). */
  static DirectProbe run(Prober prober, String moduleYaml, String target) throws Exception {
    Module m = module(moduleYaml);
    ProbeSink sink = new ProbeSink();
    ProbeLog log = new ProbeLog("m", target);
    boolean ok = prober.probe(Deadline.after(m.timeout().isZero() ? Duration.ofSeconds(5) : m.timeout()), target, m, sink, log);
    return new DirectProbe(ok, sink, log, Exposition.parse(sink.text()));
  }

  /** Fails with the probe's log unless the probe's verdict is {@code expected}. */
  DirectProbe assertSuccess(boolean expected) {
    assertEquals(expected, success, "probe verdict; log:\n" + log.text());
    return this;
  }

  Set<String> families() {
    return new TreeSet<>(metrics.types.keySet());
  }

  double value(String name) {
    return metrics.value(name, Map.of());
  }

  double value(String name, String label, String labelValue) {
    return metrics.value(name, Map.of(label, labelValue));
  }

  /** The values of {@code name} by its one label, e.g. phases. */
  Map<String, Double> byLabel(String name, String label) {
    Map<String, Double> out = new java.util.TreeMap<>();
    metrics.samples(name).forEach(s -> out.put(s.labels().get(label), s.value()));
    return out;
  }

  /** Every phase of {@code name} present, none negative, and their names exactly {@code phases}. */
  void assertPhases(String name, String... phases) {
    Map<String, Double> got = byLabel(name, "phase");
    assertEquals(new TreeSet<>(Set.of(phases)), got.keySet(), name + " phases");
    got.forEach((phase, v) -> assertTrue(v >= 0, name + "{phase=" + phase + "} = " + v));
  }
}
