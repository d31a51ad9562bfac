package io.promsuite.exporter.blackbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.promsuite.exporter.blackbox.config.BlackboxConfig;
import io.promsuite.exporter.blackbox.config.Module;
import io.promsuite.exporter.blackbox.prober.Deadline;
import io.promsuite.exporter.blackbox.prober.ProbeLog;
import io.promsuite.exporter.blackbox.prober.ProbeSink;
import io.promsuite.exporter.blackbox.prober.Prober;
import io.promsuite.exporter.blackbox.prober.TargetRules;
import io.promsuite.exporter.common.collect.CollectorRegistry;
import io.promsuite.exporter.common.web.ExpositionFormat;
import io.promsuite.exporter.common.web.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@code GET /probe?module=&target=[&debug=true]}: checks the request, runs one probe under its
 * deadline with a fresh sink, adds probe_success and probe_duration_seconds, and answers with the
 * metrics (or, with debug=true, the probe's log, metrics and module as text).
 */
final class ProbeHandler implements HttpHandler {
  private final Supplier<BlackboxConfig> config;
  private final Map<String, Prober> probers;
  private final double timeoutOffsetSeconds;
  private final TargetRules rules;
  private final Semaphore slots;
  private final int maxConcurrency;
  private final ExporterMetrics metrics;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  ProbeHandler(Supplier<BlackboxConfig> config, Map<String, Prober> probers, double timeoutOffsetSeconds,
      TargetRules rules, int maxConcurrency, ExporterMetrics metrics) {
    this.config = config;
    this.probers = probers;
    this.timeoutOffsetSeconds = timeoutOffsetSeconds;
    this.rules = rules;
    this.maxConcurrency = maxConcurrency;
    this.slots = maxConcurrency > 0 ? new Semaphore(maxConcurrency) : null;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    Map<String, String> params = query(ex.getRequestURI().getRawQuery());
    // Captured once: a reload during the probe does not change the module it runs with.
    BlackboxConfig cfg = config.get();
    String moduleName = params.getOrDefault("module", "");
    if (moduleName.isEmpty()) {
      moduleName = "http_2xx";
    }
    Module module = cfg.modules().get(moduleName);
    if (module == null) {
      metrics.unknownModule();
      reject(ex, 400, "Unknown module \"" + oneLine(moduleName) + "\"", "unknown_module");
      return;
    }
    String target = params.getOrDefault("target", "");
    if (target.isEmpty()) {
      reject(ex, 400, "Target parameter is missing", "bad_target");
      return;
    }
    Prober prober = probers.get(module.prober());
    if (prober == null) {
      reject(ex, 400, "Prober \"" + module.prober() + "\" of module \"" + moduleName + "\" is not supported by this exporter", "unsupported_prober");
      return;
    }
    Targets.Checked checked;
    try {
      checked = Targets.check(module.prober(), target);
    } catch (Targets.BadTarget e) {
      reject(ex, 400, "Bad target \"" + oneLine(target) + "\": " + e.getMessage(), "bad_target");
      return;
    }
    String hostname = params.get("hostname");
    String badHostname = hostname == null || hostname.isEmpty() ? null : badHostname(hostname);
    if (badHostname != null) {
      reject(ex, 400, "Bad hostname \"" + oneLine(hostname) + "\": " + badHostname, "bad_parameter");
      return;
    }
    String debug = params.getOrDefault("debug", "");
    if (!debug.isEmpty() && !debug.equals("true") && !debug.equals("false")) {
      reject(ex, 400, "Bad debug parameter \"" + oneLine(debug) + "\": true or false", "bad_parameter");
      return;
    }
    if (hostname != null && !hostname.isEmpty() && module.prober().equals("http")) {
      module = withHost(module, hostname);
      if (module == null) {
        reject(ex, 400, "host header defined both in module configuration and with URL-parameter 'hostname'", "bad_target");
        return;
      }
    }
    String denied = rules.checkHost(checked.host());
    if (denied != null) {
      reject(ex, 403, "Probe refused: " + denied, "denied");
      return;
    }
    double timeout;
    try {
      timeout = timeoutSeconds(ex.getRequestHeaders().getFirst(CollectorRegistry.TIMEOUT_HEADER), module);
    } catch (NumberFormatException e) {
      WebServer.respond(ex, 500, "Failed to parse timeout from Prometheus header: " + e.getMessage() + "\n");
      return;
    }
    if (slots != null && !slots.tryAcquire()) {
      reject(ex, 503, "Too many concurrent probes: --probe.max-concurrency=" + maxConcurrency + " are already running", "concurrency");
      return;
    }
    // The slot is given back as soon as the probe is over, before the response is written: a
    // client that has its answer may start the next probe at once.
    Runnable release = slots == null ? () -> { } : new Runnable() {
      private boolean released;

      @Override
      public void run() {
        if (!released) {
          released = true;
          slots.release();
        }
      }
    };
    try {
      run(ex, params, moduleName, module, prober, target, timeout, release);
    } finally {
      release.run();
    }
  }

  private void run(HttpExchange ex, Map<String, String> params, String moduleName, Module module, Prober prober,
      String target, double timeout, Runnable probeOver) throws IOException {
    ProbeSink sink = new ProbeSink();
    ProbeLog log = new ProbeLog(moduleName, target);
    log.info("Beginning probe", "probe", module.prober(), "timeout_seconds", timeout);
    ProbeSink.Gauge successGauge = sink.gauge("probe_success", "Displays whether or not the probe was a success");
    ProbeSink.Gauge durationGauge = sink.gauge("probe_duration_seconds", "Returns how long the probe took to complete in seconds");
    long start = System.nanoTime();
    Deadline deadline = new Deadline(start + (long) (timeout * 1e9));
    boolean success = false;
    metrics.probeStarted();
    Module m = module;
    Future<Boolean> f = executor.submit(() -> prober.probe(deadline, target, m, sink, log));
    try {
      // A little grace past the deadline: probers stop on their own at it, and then report why.
      success = f.get(deadline.remaining().toNanos() + TimeUnit.MILLISECONDS.toNanos(200), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      log.error("Probe cancelled: deadline exceeded", "timeout_seconds", timeout);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      // The message only: exception class names are for the exporter's developers, not in a probe log.
      log.error("Probe failed with an internal error", "err", c instanceof InterruptedException ? "cancelled"
          : c.getMessage() == null ? "no detail" : oneLine(c.getMessage()));
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
    }
    double duration = (System.nanoTime() - start) / 1e9;
    durationGauge.set(duration);
    successGauge.set(success ? 1 : 0);
    if (success) {
      log.info("Probe succeeded", "duration_seconds", duration);
    } else {
      log.error("Probe failed", "duration_seconds", duration);
    }
    // Anything the prober writes after this point (it overran) is not served.
    String text = sink.text();
    sink.freeze();
    metrics.probeFinished(moduleName, module.prober(), success, duration);
    probeOver.run();
    if ("true".equals(params.get("debug"))) {
      String body = "Logs for the probe:\n" + log.text() + "\n\n\nMetrics that would have been returned:\n"
          + text + "\n\n\nModule configuration:\n" + ConfigView.yaml(module);
      WebServer.respond(ex, 200, body);
      return;
    }
    // Protobuf or text 0.0.4, as blackbox_exporter (OpenMetrics is off in its handler).
    ExpositionFormat format = ExpositionFormat.negotiate(ex.getRequestHeaders().getFirst("Accept"), false);
    byte[] bytes;
    if (format == ExpositionFormat.TEXT) {
      bytes = text.getBytes(StandardCharsets.UTF_8);
    } else {
      ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
      format.write(out, sink.snapshots());
      bytes = out.toByteArray();
    }
    ex.getResponseHeaders().set("Content-Type", format.contentType());
    ex.sendResponseHeaders(200, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  /** blackbox_exporter's rule: the module timeout, capped by Prometheus' timeout minus the offset (120 s without header). */
  double timeoutSeconds(String header, Module module) {
    double scrape = 0;
    if (header != null && !header.isBlank()) {
      scrape = Double.parseDouble(header.trim());
    }
    if (scrape == 0) {
      scrape = 120;
    }
    double max = scrape - timeoutOffsetSeconds;
    double moduleTimeout = module.timeout().toNanos() / 1e9;
    if ((moduleTimeout < max && moduleTimeout > 0) || max < 0) {
      return moduleTimeout > 0 ? moduleTimeout : Math.max(0.1, scrape);
    }
    return max;
  }

  private static Module withHost(Module m, String hostname) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : m.http().headers().entrySet()) {
      if (h.getKey().equalsIgnoreCase("Host") && !h.getValue().equals(hostname)) {
        return null;
      }
      if (!h.getKey().equalsIgnoreCase("Host")) {
        headers.put(h.getKey(), h.getValue());
      }
    }
    headers.put("Host", hostname);
    var h = m.http();
    var http = new io.promsuite.exporter.blackbox.config.HttpProbe(h.validStatusCodes(), h.validHttpVersions(),
        h.preferredIpProtocol(), h.ipProtocolFallback(), h.skipResolvePhaseWithProxy(), null, h.failIfSsl(),
        h.failIfNotSsl(), h.method(), headers, h.failIfBodyMatchesRegexp(), h.failIfBodyNotMatchesRegexp(),
        h.failIfHeaderMatches(), h.failIfHeaderNotMatches(), h.body(), h.compression(), h.bodySizeLimit(),
        h.client());
    return new Module(m.prober(), m.timeout(), http, m.tcp(), m.icmp(), m.dns(), m.grpc());
  }

  /**
   * Null when {@code hostname} can be sent as a Host header (a name or address, optionally with a
   * port), else why not: it must never carry a line break or anything else into the request.
   */
  static String badHostname(String hostname) {
    if (hostname.length() > 261) {
      return "longer than a host name and port can be";
    }
    if (!hostname.matches("[A-Za-z0-9._-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) {
      return "a host name or address with an optional :port (letters, digits, '.', '-', '_'; [IPv6])";
    }
    return null;
  }

  private void reject(HttpExchange ex, int status, String reason, String metricReason) throws IOException {
    metrics.rejected(metricReason);
    WebServer.respond(ex, status, reason + "\n");
  }

  private static String oneLine(String s) {
    String t = s.replaceAll("[\\r\\n\\p{Cntrl}]", "?");
    return t.length() > 200 ? t.substring(0, 200) + "..." : t;
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        // First value wins, as Go's url.Values.Get does.
        out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        out.putIfAbsent(k, v);
      }
    }
    return out;
  }

  void close() {
    executor.shutdownNow();
  }

}
