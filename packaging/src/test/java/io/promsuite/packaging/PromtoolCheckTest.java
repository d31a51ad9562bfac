package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.RealParts;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** promtool's own verdict on every Prometheus file: configs, rule files and rule unit tests. */
class PromtoolCheckTest {

  @ParameterizedTest
  @ValueSource(strings = {"prometheus/prometheus.yml", "prometheus/federation.yml"})
  void configPassesPromtoolCheckConfig(String file) {
    Run run = Run.of(Packaging.dir(), RealParts.require("/usr/bin/promtool").toString(), "check", "config", file).assertSuccess();
    assertTrue(run.output().contains("SUCCESS: " + file + " is valid prometheus config file syntax"),
        run.output());
  }

  @ParameterizedTest
  @ValueSource(strings = {"prometheus.yml", "federation.yml"})
  void remoteWriteExamplesAreValidOnceUncommented(String file, @TempDir Path tmp) {
    String config = Packaging.withRemoteWriteExamples(Packaging.read(Packaging.file("prometheus/" + file)))
        .replace("  - rules/*.yml", "  - " + Packaging.file("prometheus/rules") + "/*.yml");
    assertTrue(config.contains("\nremote_write:\n"), config);
    Path uncommented = Packaging.write(tmp.resolve(file), config);
    Run run = Run.of(tmp, RealParts.require("/usr/bin/promtool").toString(), "check", "config", uncommented.toString()).assertSuccess();
    assertTrue(run.output().contains("is valid prometheus config file syntax"), run.output());
    assertEquals(3, Packaging.yaml(config).get("remote_write").size(), "Thanos, Mimir and VictoriaMetrics");
  }

  @Test
  void referenceConfigLoadsBothRuleFiles() {
    Run run = Run.of(Packaging.file("prometheus"), RealParts.require("/usr/bin/promtool").toString(), "check", "config", "prometheus.yml")
        .assertSuccess();
    assertTrue(run.output().contains("SUCCESS: 2 rule files found"), run.output());
  }

  @TestFactory
  Stream<DynamicTest> everyRuleFilePassesPromtoolCheckRules() {
    List<Path> ruleFiles = Packaging.files("prometheus/rules", ".yml");
    assertEquals(List.of("slo.yml", "suite.yml"),
        ruleFiles.stream().map(p -> p.getFileName().toString()).toList());
    return ruleFiles.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      Run run = Run.of(file.getParent(), RealParts.require("/usr/bin/promtool").toString(), "check", "rules", file.getFileName().toString())
          .assertSuccess();
      assertTrue(run.output().matches("(?s).*SUCCESS: \\d+ rules found.*"), run.output());
    }));
  }

  @TestFactory
  Stream<DynamicTest> everyRuleUnitTestFilePassesPromtoolTestRules() {
    List<Path> testFiles = Packaging.files("prometheus/tests", ".yml");
    assertTrue(testFiles.size() >= 5, "expected the SLO and suite unit tests, found " + testFiles);
    return testFiles.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      Run run = Run.of(file.getParent(), RealParts.require("/usr/bin/promtool").toString(), "test", "rules", file.getFileName().toString())
          .assertSuccess();
      assertTrue(run.output().contains("SUCCESS"), run.output());
    }));
  }

  /** The checks above are only worth something if promtool really says no to a bad file. */
  @Test
  void promtoolRejectsABrokenRuleAndAWrongExpectation(@TempDir Path tmp) {
    Packaging.write(tmp.resolve("broken.yml"), """
        groups:
          - name: broken
            rules:
              - record: job:x:rate5m
                expr: sum(rate(x[5m])
        """);
    Run check = Run.of(tmp, RealParts.require("/usr/bin/promtool").toString(), "check", "rules", "broken.yml");
    assertNotEquals(0, check.exitCode(), check.output());
    assertTrue(check.output().contains("broken.yml"), check.output());

    Packaging.write(tmp.resolve("wrong.yml"), """
        rule_files: ['%s']
        tests:
          - interval: 1m
            input_series:
              - series: 'up{job="host-exporter",instance="h1:9100"}'
                values: '1x20'
            alert_rule_test:
              - eval_time: 10m
                alertname: TargetDown
                exp_alerts:
                  - exp_labels: {job: host-exporter, instance: 'h1:9100', severity: warning, team: infrastructure, service: host-exporter}
        """.formatted(Packaging.file("prometheus/rules/suite.yml")));
    Run test = Run.of(tmp, RealParts.require("/usr/bin/promtool").toString(), "test", "rules", "wrong.yml");
    assertNotEquals(0, test.exitCode(), test.output());
    assertTrue(test.output().contains("alertname: TargetDown"), test.output());
  }
}
