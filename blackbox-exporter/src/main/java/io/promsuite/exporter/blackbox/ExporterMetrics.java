package io.promsuite.exporter.blackbox;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The exporter's own metrics on /metrics: probes run and their durations, rejections (config reloads are the framework's). */
final class ExporterMetrics {
  private final Counter unknownModule;
  private final Counter probes;
  private final Histogram duration;
  private final Gauge inFlight;
  private final Counter rejected;

  ExporterMetrics(PrometheusRegistry registry) {
    unknownModule = Counter.builder().name("blackbox_module_unknown")
        .help("Count of unknown modules requested by probes").register(registry);
    probes = Counter.builder().name("blackbox_probes")
        .help("Probes run, by module, prober and result (success or failure)")
        .labelNames("module", "prober", "result").register(registry);
    duration = Histogram.builder().name("blackbox_probe_duration_seconds")
        .help("How long probes took, by module")
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
        .labelNames("module").register(registry);
    inFlight = Gauge.builder().name("blackbox_probes_in_flight").help("Probes running now").register(registry);
    rejected = Counter.builder().name("blackbox_probe_requests_rejected")
        .help("Probe requests answered without probing, by reason")
        .labelNames("reason").register(registry);
  }

  void unknownModule() {
    unknownModule.inc();
  }

  void probeStarted() {
    inFlight.inc();
  }

  void probeFinished(String module, String prober, boolean success, double seconds) {
    inFlight.dec();
    probes.labelValues(module, prober, success ? "success" : "failure").inc();
    duration.labelValues(module).observe(seconds);
  }

  void rejected(String reason) {
    rejected.labelValues(reason).inc();
  }
}
