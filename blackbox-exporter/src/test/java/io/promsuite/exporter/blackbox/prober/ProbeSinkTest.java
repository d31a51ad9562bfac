package io.promsuite.exporter.blackbox.prober;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The probe's text output matches client_golang's byte for byte (format of the reference samples). */
class ProbeSinkTest {
  @Test
  void textIsSortedWithHelpTypeAndEscapedLabels() {
    ProbeSink sink = new ProbeSink();
    sink.gauge("probe_success", "Displays whether or not the probe was a success").set(1);
    ProbeSink.Gauge phases = sink.gauge("probe_http_duration_seconds", "Duration of http request by phase, summed over all redirects", "phase");
    phases.add(0.5, "resolve").add(0.25, "connect").add(0.25, "resolve");
    sink.info("probe_tls_version_info", "Returns the TLS version used or NaN when unknown", "version").set(1, "TLS \"1.3\"");
    assertEquals("""
        # HELP probe_http_duration_seconds Duration of http request by phase, summed over all redirects
        # TYPE probe_http_duration_seconds gauge
        probe_http_duration_seconds{phase="connect"} 0.25
        probe_http_duration_seconds{phase="resolve"} 0.75
        # HELP probe_success Displays whether or not the probe was a success
        # TYPE probe_success gauge
        probe_success 1
        # HELP probe_tls_version_info Returns the TLS version used or NaN when unknown
        # TYPE probe_tls_version_info gauge
        probe_tls_version_info{version="TLS \\"1.3\\""} 1
        """, sink.text());
  }
}
