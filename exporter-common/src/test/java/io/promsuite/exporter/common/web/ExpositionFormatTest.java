package io.promsuite.exporter.common.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Accept headers Prometheus and curl send, and the format each gets. */
class ExpositionFormatTest {
  static final String PROMETHEUS_DEFAULT = "application/openmetrics-text;version=1.0.0,"
      + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  static final String PROMETHEUS_NATIVE_HISTOGRAMS = "application/vnd.google.protobuf;"
      + "proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,"
      + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  static final String OPENMETRICS_ONLY = "application/openmetrics-text; version=1.0.0";

  @Test
  void prometheusDefaultAcceptGetsTextAsFromNodeExporter() {
    assertEquals(ExpositionFormat.TEXT, ExpositionFormat.negotiate(PROMETHEUS_DEFAULT, true));
    assertEquals(ExpositionFormat.TEXT, ExpositionFormat.negotiate(null, true));
    assertEquals(ExpositionFormat.TEXT, ExpositionFormat.negotiate("*/*", true));
  }

  @Test
  void protobufIsServedWhenAskedForWithItsProtoParameter() {
    assertEquals(ExpositionFormat.PROTOBUF, ExpositionFormat.negotiate(PROMETHEUS_NATIVE_HISTOGRAMS, true));
    assertEquals(ExpositionFormat.PROTOBUF, ExpositionFormat.negotiate(PROMETHEUS_NATIVE_HISTOGRAMS, false));
    // Go's expfmt.Negotiate wants proto=io.prometheus.client.MetricFamily too; without it, text.
    assertEquals(ExpositionFormat.TEXT, ExpositionFormat.negotiate("application/vnd.google.protobuf", true));
    assertEquals(ExpositionFormat.PROTOBUF.contentType(),
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited");
  }

  @Test
  void openMetricsOnlyScraperGetsOpenMetricsOnlyWhereOffered() {
    assertEquals(ExpositionFormat.OPENMETRICS, ExpositionFormat.negotiate(OPENMETRICS_ONLY, true));
    assertEquals(ExpositionFormat.TEXT, ExpositionFormat.negotiate(OPENMETRICS_ONLY, false));
    assertEquals("text/plain; version=0.0.4; charset=utf-8", ExpositionFormat.TEXT.contentType());
  }
}
