package io.promsuite.packaging;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Makes the Kubernetes copies of files whose source of truth lives elsewhere in packaging/: one
 * PrometheusRule per rule file (the file embedded unchanged under spec, comments included) and
 * the blackbox module file for the ConfigMap generator.
 */
final class ManifestGenerator {
  static final String REGENERATE =
      "./mvnw -pl packaging test -Dtest=KubernetesManifestTest -Dpromsuite.regenerate=true";

  private ManifestGenerator() {}

  /** Relative path under packaging/ to the text it must hold. */
  static Map<String, String> generated() {
    Map<String, String> files = new LinkedHashMap<>();
    for (Path rules : Packaging.files("prometheus/rules", ".yml")) {
      String name = rules.getFileName().toString().replaceFirst("\\.yml$", "");
      files.put("k8s/base/prometheusrule-" + name + ".yaml", prometheusRule(name, Packaging.read(rules)));
    }
    files.put("k8s/base/blackbox.yml", header("packaging/blackbox/blackbox.yml")
        + Packaging.read(Packaging.file("blackbox/blackbox.yml")));
    return files;
  }

  static String prometheusRule(String name, String ruleFile) {
    String spec = ruleFile.lines()
        .map(line -> line.isEmpty() ? line : "  " + line)
        .collect(Collectors.joining("\n", "", "\n"));
    return header("packaging/prometheus/rules/" + name + ".yml") + """
        apiVersion: monitoring.coreos.com/v1
        kind: PrometheusRule
        metadata:
          name: promsuite-%s
          labels:
            app.kubernetes.io/name: promsuite-rules
        spec:
        """.formatted(name) + spec;
  }

  private static String header(String source) {
    return "# GENERATED from " + source + ": do not edit. Regenerate with\n#   " + REGENERATE + "\n";
  }
}
