package io.promsuite.exporter.container;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.promsuite.exporter.common.web.ScrapeHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The telemetry path of container-exporter. When the scraper accepts the text format (Prometheus
 * always lists it), the container families are written from the bytes rendered at the last refresh
 * (and their gzip member, when the scraper accepts gzip), followed by the registry's own small
 * families; so a scrape costs a copy, whatever the number of containers. Other formats
 * (OpenMetrics only, protobuf only) and {@code name[]} filtering go through the framework's
 * handler with the container families built on demand.
 */
final class ScrapeRoute implements HttpHandler {
  private static final PrometheusTextFormatWriter TEXT = PrometheusTextFormatWriter.create();

  private final PrometheusRegistry own;
  private final ContainerCollector containers;
  private final ScrapeHandler negotiated;

  /** @param own the framework's registry (health, build info, collector success) without the container families */
  ScrapeRoute(PrometheusRegistry own, ContainerCollector containers) {
    this.own = own;
    this.containers = containers;
    PrometheusRegistry all = new PrometheusRegistry();
    all.register(new io.prometheus.metrics.model.registry.MultiCollector() {
      @Override
      public MetricSnapshots collect() {
        return own.scrape();
      }

      @Override
      public MetricSnapshots collect(io.prometheus.metrics.model.registry.PrometheusScrapeRequest request) {
        return own.scrape(request);
      }
    });
    all.register(containers);
    this.negotiated = new ScrapeHandler(all);
  }

  /** Whether the Accept header allows the text format 0.0.4 (absent, text/plain or any type). */
  static boolean acceptsText(String accept) {
    return accept == null || accept.isBlank() || accept.contains("text/plain") || accept.contains("*/*");
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String query = ex.getRequestURI().getRawQuery();
    if (!acceptsText(ex.getRequestHeaders().getFirst("Accept"))
        || (query != null && (query.contains("name") || query.contains("debug")))) {
      negotiated.handle(ex);
      return;
    }
    // Own families first: the catalog renders before it publishes, so the rendering taken after
    // them is at least as new as the snapshot the health gauges were read from.
    MetricSnapshots rest = own.scrape(new HttpExchangeAdapter(ex).getRequest());
    TextSink.Rendered rendered = containers.rendered();
    ByteArrayOutputStream tail = new ByteArrayOutputStream(8 * 1024);
    TEXT.write(tail, rest, EscapingScheme.UNDERSCORE_ESCAPING);
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    String encoding = ex.getRequestHeaders().getFirst("Accept-Encoding");
    if (encoding != null && Set.of(encoding.replace(" ", "").split(",")).contains("gzip")) {
      // Concatenated gzip members are one valid gzip stream (RFC 1952); Go's reader reads them all.
      byte[] tailGzip = TextSink.gzip(tail.toByteArray());
      ex.getResponseHeaders().set("Content-Encoding", "gzip");
      ex.sendResponseHeaders(200, rendered.gzip().length + tailGzip.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(rendered.gzip());
        out.write(tailGzip);
      }
    } else {
      ex.sendResponseHeaders(200, (long) rendered.textLength() + tail.size());
      try (OutputStream out = ex.getResponseBody();
          GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(rendered.gzip()), 64 * 1024)) {
        in.transferTo(out);
        tail.writeTo(out);
      }
    }
    ex.close();
  }
}
