package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.testing.RealPrometheus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus scrapes host-exporter and answers PromQL over what it scraped. */
class PrometheusScrapeTest {

  @Test
  void prometheusScrapesUsAndRatesCpuSeconds(@TempDir Path dir) throws Exception {
    try (Exporter.Running ours = HostExporter.builder().start("--web.listen-address=127.0.0.1:0");
        RealPrometheus prom = RealPrometheus.start(dir, """
            global:
              scrape_interval: 1s
              scrape_timeout: 900ms
            scrape_configs:
              - job_name: host
                static_configs:
                  - targets: ['127.0.0.1:%d']
            """.formatted(ours.port()))) {
      JsonNode up = prom.awaitQuery("up{job=\"host\"}", r -> r.size() == 1, Duration.ofSeconds(30));
      assertEquals("1", up.get(0).path("value").get(1).asText(), "up == 1");
      // Enough scrapes in the window for rate() to see a steady series.
      prom.awaitQuery("count_over_time(up{job=\"host\"}[10s]) >= 6", r -> r.size() == 1, Duration.ofSeconds(60));
      JsonNode rate = prom.awaitQuery("sum by (cpu) (rate(node_cpu_seconds_total{job=\"host\"}[10s]))",
          r -> r.size() == Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(30));
      for (JsonNode series : rate) {
        double perCpu = series.path("value").get(1).asDouble();
        // All modes of one CPU add up to about one second per second.
        assertTrue(perCpu > 0.5 && perCpu < 1.5, "cpu " + series.path("metric") + " rate sum " + perCpu);
      }
      // The collectors whose sources every Linux host has; others (schedstat, the hardware ones) report 0
      // where their source is absent, as node_exporter's do.
      JsonNode success = prom.query("min(node_scrape_collector_success{job=\"host\",collector=~\"" + String.join("|",
          "cpu", "loadavg", "meminfo", "filesystem", "diskstats", "netdev", "stat", "time", "uname", "os", "textfile",
          "vmstat", "filefd", "entropy", "netstat", "sockstat", "softnet", "udp_queues", "arp", "timex", "selinux")
          + "\"})");
      assertEquals("1", success.get(0).path("value").get(1).asText());
    }
  }
}
