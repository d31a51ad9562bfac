package io.promsuite.e2e.gateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.web.WebServer;

/**
 * The demo "inference gateway" of the architecture document: the service the availability SLO
 * is about. It serves no real models; it generates synthetic traffic internally and exposes it
 * as {@code http_requests_total{status,method,path}} and {@code http_request_duration_seconds}
 * on :8000/metrics, with /health, /ready and an admin endpoint that changes the error ratio at
 * run time so an outage can be injected and healed.
 */
public final class InferenceGateway {
  private InferenceGateway() {}

  public static void main(String[] args) {
    Exporter.main("e2e", InferenceGateway::builder, args);
  }

  /** The gateway's declaration; {@code start(args)} on it runs one in a test. */
  public static Exporter.Builder builder() {
    return Exporter.builder("inference-gateway", "inference_gateway")
        .defaultListenAddress(":8000")
        .description("Demo inference gateway: synthetic traffic for the SLO rules, outage injection at /admin/error-ratio.")
        .flags(f -> f
            .string("traffic.rate", "100", "Synthetic requests per second (change at run time: POST /admin/rate?value=).")
            .string("traffic.error-ratio", "0.001", "Share of synthetic requests that fail with 5xx, 0..1 (change at run time: POST /admin/error-ratio?value=)."))
        .setup(ctx -> {
          Counter requests = Counter.builder().name("http_requests_total")
              .help("Requests served by the gateway, by HTTP status, method and path.")
              .labelNames("status", "method", "path").register(ctx.registry());
          Histogram latency = Histogram.builder().name("http_request_duration_seconds")
              .help("Time to answer a request, by method and path.")
              .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
              .labelNames("method", "path").register(ctx.registry());
          SyntheticTraffic traffic;
          try {
            traffic = new SyntheticTraffic(requests, latency, number(ctx.flags().get("traffic.rate"), "traffic.rate"),
                number(ctx.flags().get("traffic.error-ratio"), "traffic.error-ratio"));
          } catch (IllegalArgumentException e) {
            throw new FlagException(e.getMessage());
          }
          GaugeWithCallback.builder().name("inference_gateway_error_ratio")
              .help("Share of synthetic requests currently made to fail (set by /admin/error-ratio).")
              .callback(cb -> cb.call(traffic.errorRatio())).register(ctx.registry());
          GaugeWithCallback.builder().name("inference_gateway_traffic_rate")
              .help("Synthetic requests per second currently generated (set by /admin/rate).")
              .callback(cb -> cb.call(traffic.rate())).register(ctx.registry());
          // A virtual thread: it never keeps the JVM alive on its own.
          new TrafficLoop(traffic, System::nanoTime).start();
          ctx.handle("/health", "Health", ex -> WebServer.respond(ex, 200, "OK\n"));
          ctx.handle("/ready", "Readiness", ex -> WebServer.respond(ex, 200, "ready\n"));
          AdminHandler admin = new AdminHandler(traffic);
          ctx.handle("/admin/error-ratio", "Error ratio (POST ?value=0..1)", admin);
          ctx.handle("/admin/rate", "Request rate (POST ?value=requests/s)", admin);
        });
  }

  private static double number(String value, String flag) throws FlagException {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new FlagException("flag --" + flag + ": '" + value + "' is not a number");
    }
  }
}
