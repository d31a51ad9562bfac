package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

/** What a running shipped exporter must answer, however it was installed (tarball, image). */
final class ExporterChecks {
  private ExporterChecks() {}

  /**
   * /metrics carries the build info of this version, and the exporter does its job with the
   * shipped configuration: host metrics, a probe with the shipped blackbox modules, the Docker
   * daemon's state, the source of the shipped model configuration.
   * Returns the /metrics text.
   */
  static String assertServes(ShippedExporter exporter, String baseUrl) {
    return assertServes(exporter, baseUrl, Http::get);
  }

  /** As above, with {@code get} making the requests (TLS, credentials). */
  static String assertServes(ShippedExporter exporter, String baseUrl, java.util.function.Function<String, Http.Response> get) {
    if (exporter == ShippedExporter.ML_MODEL) {
      // Sources are read in the background; /-/ready says when the first read is published.
      Http.await(java.time.Duration.ofSeconds(60), () -> baseUrl + "/-/ready to answer 200: " + get.apply(baseUrl + "/-/ready").body(),
          () -> get.apply(baseUrl + "/-/ready").status() == 200);
    }
    Http.Response response = get.apply(baseUrl + "/metrics");
    assertEquals(200, response.status(), baseUrl + "/metrics: " + response.body());
    String metrics = response.body();
    Pattern buildInfo = Pattern.compile("(?m)^" + exporter.metricPrefix + "_exporter_build_info\\{[^}]*version=\""
        + Pattern.quote(ShippedExporter.version()) + "\"[^}]*} 1(\\.0)?$");
    assertTrue(buildInfo.matcher(metrics).find(),
        "no " + exporter.metricPrefix + "_exporter_build_info{version=\"" + ShippedExporter.version() + "\"} 1 in:\n" + metrics);
    switch (exporter) {
      case HOST -> assertTrue(Pattern.compile("(?m)^node_cpu_seconds_total\\{cpu=\"0\",mode=\"idle\"} ").matcher(metrics).find(),
          "no node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} in:\n" + metrics);
      case BLACKBOX -> {
        // The shipped tcp_connect module, probing the exporter's own port.
        String target = baseUrl.substring(baseUrl.indexOf("://") + 3);
        String probe = get.apply(baseUrl + "/probe?module=tcp_connect&target=" + target).body();
        assertTrue(probe.lines().anyMatch(l -> l.equals("probe_success 1")), "tcp_connect probe of " + target + ":\n" + probe);
      }
      // The Docker daemon's state and the shipped config's source, whatever they are here.
      case CONTAINER -> assertTrue(Pattern.compile("(?m)^container_exporter_docker_up [01](\\.0)?$").matcher(metrics).find(),
          "no container_exporter_docker_up in:\n" + metrics);
      case ML_MODEL -> assertTrue(Pattern.compile("(?m)^ml_model_exporter_source_up\\{source=\"local\"} [01](\\.0)?$").matcher(metrics).find(),
          "no ml_model_exporter_source_up{source=\"local\"} (the shipped configuration's source) in:\n" + metrics);
    }
    return metrics;
  }
}
