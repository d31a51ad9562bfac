package io.promsuite.pushgateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The client's own metrics: pushes by outcome, HTTP requests by status, retries, failures and the
 * spool's size. Register them on the registry your process exposes (or pushes) with
 * {@link #register(PrometheusRegistry)}.
 */
public final class PushGatewayClientMetrics {

  private final Counter pushes = Counter.builder()
      .name("pushgateway_client_pushes_total")
      .help("Pushes, pushAdds and deletes by outcome: sent, spooled, rejected (4xx) or failed (not sent, not spooled).")
      .labelNames("method", "outcome")
      .build();
  private final Counter requests = Counter.builder()
      .name("pushgateway_client_requests_total")
      .help("HTTP requests made to the gateway by status code; code=\"none\" for connection errors and timeouts.")
      .labelNames("code")
      .build();
  private final Counter retries = Counter.builder()
      .name("pushgateway_client_retries_total")
      .help("Requests that were repeats of a failed request.")
      .build();
  private final Counter failures = Counter.builder()
      .name("pushgateway_client_failures_total")
      .help("Pushes neither sent nor spooled (rejected, unavailable, spool_full, spool_error) and damaged spool entries set aside (spool_unreadable), by reason.")
      .labelNames("reason")
      .build();
  private final Counter spooled = Counter.builder()
      .name("pushgateway_client_spooled_total")
      .help("Requests written to the spool because the gateway could not be reached.")
      .build();
  private final Counter delivered = Counter.builder()
      .name("pushgateway_client_spool_delivered_total")
      .help("Spooled requests that were later accepted by the gateway.")
      .build();
  private final Gauge spoolEntries = Gauge.builder()
      .name("pushgateway_client_spool_entries")
      .help("Requests waiting in the spool.")
      .build();

  /** Registers every metric of this client on {@code registry}. */
  public void register(PrometheusRegistry registry) {
    registry.register(pushes);
    registry.register(requests);
    registry.register(retries);
    registry.register(failures);
    registry.register(spooled);
    registry.register(delivered);
    registry.register(spoolEntries);
  }

  void pushed(PushMethod method, String outcome) {
    pushes.labelValues(method.name(), outcome).inc();
  }

  void answered(int status) {
    requests.labelValues(status == 0 ? "none" : Integer.toString(status)).inc();
  }

  void retried() {
    retries.inc();
  }

  void failed(String reason) {
    failures.labelValues(reason).inc();
  }

  void spooled(int entriesNow) {
    spooled.inc();
    spoolEntries.set(entriesNow);
  }

  void delivered(int entriesNow) {
    delivered.inc();
    spoolEntries.set(entriesNow);
  }

  void spoolSize(int entriesNow) {
    spoolEntries.set(entriesNow);
  }

  /** Requests answered with {@code code} so far ("none" for no answer); for tests and diagnostics. */
  public long requests(String code) {
    return (long) requests.labelValues(code).get();
  }

  /** Retries so far. */
  public long retries() {
    return (long) retries.get();
  }
}
