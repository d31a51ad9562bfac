package io.promsuite.exporter.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.container.testing.FakeDaemon;
import io.promsuite.exporter.container.testing.Scrape;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The telemetry path's formats: the pre-rendered text, gzipped as Prometheus asks for it (two gzip
 * members in one stream), plain for curl, and OpenMetrics when only that is acceptable.
 */
class ScrapeFormatsTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static HttpResponse<byte[]> get(int port, String... headers) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).headers(headers)
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void gzipPlainAndOpenMetricsCarryTheSameContainerSeries() throws Exception {
    try (FakeDaemon daemon = new FakeDaemon("cgroupfs").serve(FakeDaemon.many(20),
        FakeDaemon.resource("/engine/stats-v2.json"));
        ExporterProcess x = new ExporterProcess("--docker.host=" + daemon.host(), "--source=docker",
            "--housekeeping.interval=1s", "--docker.resync-interval=10m", "--collector.exporter=false")) {
      Scrape.until(x.port, Duration.ofSeconds(60), "20 containers",
          e -> e.samples("container_memory_usage_bytes").size() == 20);
      // Between refreshes the rendering does not change: compare one housekeeping apart at most.
      HttpResponse<byte[]> gz = get(x.port, "Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
          "Accept-Encoding", "gzip");
      HttpResponse<byte[]> plain = get(x.port, "Accept", "*/*");
      assertEquals("gzip", gz.headers().firstValue("Content-Encoding").orElse(""));
      assertTrue(gz.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
      String inflated = new String(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes(), StandardCharsets.UTF_8);
      String text = new String(plain.body(), StandardCharsets.UTF_8);
      Exposition fromGzip = Exposition.parse(inflated);
      Exposition fromPlain = Exposition.parse(text);
      assertEquals(20, fromGzip.samples("container_memory_working_set_bytes").size());
      assertEquals(fromPlain.samples("container_memory_working_set_bytes"), fromGzip.samples("container_memory_working_set_bytes"));
      assertEquals(1, fromGzip.value("container_exporter_build_info", fromGzip.samples("container_exporter_build_info")
          .getFirst().labels()), "the registry's own families follow in the second gzip member");

      HttpResponse<byte[]> om = get(x.port, "Accept", "application/openmetrics-text;version=1.0.0");
      assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
      String omText = new String(om.body(), StandardCharsets.UTF_8);
      assertTrue(omText.endsWith("# EOF\n"), "an OpenMetrics body");
      assertEquals(20, omText.lines().filter(l -> l.startsWith("container_memory_working_set_bytes{")).count());
      assertTrue(omText.contains("# TYPE container_cpu_usage_seconds counter"), "counters by OpenMetrics' rules");
    }
  }
}
