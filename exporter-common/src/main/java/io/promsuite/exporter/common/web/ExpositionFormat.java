package io.promsuite.exporter.common.web;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The exposition format a scrape gets for its {@code Accept} header, negotiated as the Go
 * exporters do: protobuf when the scraper asks for it (Prometheus does with native histograms),
 * the text format 0.0.4 whenever it accepts that (Prometheus lists OpenMetrics first but accepts
 * {@code text/plain}, and node_exporter answers it in text), OpenMetrics only to a scraper that
 * wants nothing else and only from a handler that offers it (blackbox_exporter's /probe does not).
 */
public enum ExpositionFormat {
  TEXT,
  OPENMETRICS,
  PROTOBUF;

  private static final ExpositionFormats WRITERS = ExpositionFormats.init();

  /** The format for {@code accept} (null when the request had none). */
  public static ExpositionFormat negotiate(String accept, boolean openMetricsOffered) {
    if (accept == null || accept.isBlank()) {
      return TEXT;
    }
    if (WRITERS.getPrometheusProtobufWriter().accepts(accept)) {
      return PROTOBUF;
    }
    if (accept.contains("text/plain") || accept.contains("*/*")) {
      return TEXT;
    }
    return openMetricsOffered && WRITERS.getOpenMetricsTextFormatWriter().accepts(accept) ? OPENMETRICS : TEXT;
  }

  private ExpositionFormatWriter writer() {
    return switch (this) {
      case TEXT -> WRITERS.getPrometheusTextFormatWriter();
      case OPENMETRICS -> WRITERS.getOpenMetricsTextFormatWriter();
      case PROTOBUF -> WRITERS.getPrometheusProtobufWriter();
    };
  }

  /** The response's Content-Type. */
  public String contentType() {
    return writer().getContentType();
  }

  /** {@code snapshots} in this format, by client_java's writer for it. */
  public void write(OutputStream out, MetricSnapshots snapshots) throws IOException {
    writer().write(out, snapshots);
  }
}
