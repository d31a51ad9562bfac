package io.promsuite.exporter.common.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * The telemetry path. OpenMetrics and protobuf (by {@code Accept}) and {@code name[]} filtering are
 * client_java's MetricsHandler; the plain text format, what most scrapers and every curl ask for,
 * is written by {@link TextFormat} in one pass.
 */
public final class ScrapeHandler implements HttpHandler {
  private final PrometheusRegistry registry;
  private final MetricsHandler delegate;

  public ScrapeHandler(PrometheusRegistry registry) {
    this.registry = registry;
    this.delegate = new MetricsHandler(registry);
  }

  /**
   * Text is served whenever the scraper accepts it, as node_exporter does: Prometheus lists
   * OpenMetrics first but accepts {@code text/plain}. Protobuf, asked for with native histograms,
   * and OpenMetrics-only scrapers go to client_java's negotiation.
   */
  static boolean textAcceptable(String accept) {
    if (accept == null || accept.isBlank()) {
      return true;
    }
    if (accept.contains("protobuf")) {
      return false;
    }
    return accept.contains("text/plain") || accept.contains("*/*");
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String accept = ex.getRequestHeaders().getFirst("Accept");
    String query = ex.getRequestURI().getRawQuery();
    if (!textAcceptable(accept) || (query != null && (query.contains("name") || query.contains("debug")))) {
      delegate.handle(ex);
      return;
    }
    HttpExchangeAdapter adapter = new HttpExchangeAdapter(ex);
    MetricSnapshots snapshots = registry.scrape(adapter.getRequest());
    if (!TextFormat.supports(snapshots)) {
      delegate.handle(ex);
      return;
    }
    StringBuilder sb = new StringBuilder(32 * 1024);
    TextFormat.write(sb, snapshots);
    byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    String encoding = ex.getRequestHeaders().getFirst("Accept-Encoding");
    if (encoding != null && Set.of(encoding.replace(" ", "").split(",")).contains("gzip")) {
      ex.getResponseHeaders().set("Content-Encoding", "gzip");
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = new GZIPOutputStream(ex.getResponseBody())) {
        out.write(body);
      }
    } else {
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    ex.close();
  }
}
