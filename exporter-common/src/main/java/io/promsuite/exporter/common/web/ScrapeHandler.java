package io.promsuite.exporter.common.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.exporter.httpserver.HttpExchangeAdapter;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.promsuite.exporter.common.collect.CollectorRegistry;
import io.promsuite.exporter.common.collect.Prerendered;
import io.promsuite.exporter.common.collect.SnapshotSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The telemetry path. The plain text format, what Prometheus accepts and every curl asks for, is
 * written in one pass straight from what the collectors wrote (no client_java snapshot), with
 * pre-rendered families copied as they are; OpenMetrics and protobuf (by {@code Accept}) and
 * {@code name[]} filtering are client_java's MetricsHandler over the same collectors.
 */
public final class ScrapeHandler implements HttpHandler {
  private static final PrometheusTextFormatWriter CLIENT_JAVA_TEXT = PrometheusTextFormatWriter.create();

  private final PrometheusRegistry own;
  private final CollectorRegistry collectors;
  private final MetricsHandler delegate;

  /** @param own the exporter's own metrics (build info, reload status, what setups registered) */
  public ScrapeHandler(PrometheusRegistry own, CollectorRegistry collectors) {
    this.own = own;
    this.collectors = collectors;
    PrometheusRegistry all = new PrometheusRegistry();
    all.register(new MultiCollector() {
      @Override
      public MetricSnapshots collect() {
        return own.scrape();
      }

      @Override
      public MetricSnapshots collect(PrometheusScrapeRequest request) {
        return own.scrape(request);
      }
    });
    all.register(collectors);
    this.delegate = new MetricsHandler(all);
  }

  /** A family to write: one the collectors wrote, or one of the exporter's own snapshots. */
  private record Part(String key, SnapshotSink.Family family, MetricSnapshot snapshot) {}

  /** A scrape request without a query whose only header is Prometheus' scrape timeout. */
  private record TimeoutOnly(String timeout) implements io.prometheus.metrics.exporter.common.PrometheusHttpRequest {
    @Override
    public String getQueryString() {
      return null;
    }

    @Override
    public java.util.Enumeration<String> getHeaders(String name) {
      return java.util.Collections.enumeration(name.equalsIgnoreCase(CollectorRegistry.TIMEOUT_HEADER)
          ? List.of(timeout) : List.of());
    }

    @Override
    public String getMethod() {
      return "GET";
    }

    @Override
    public String getRequestPath() {
      return "/metrics";
    }
  }

  /**
   * Renders once, as a scrape without a query would, and drops the body (and its gzip), unless a
   * scrape has already started a render (then it does nothing: never a second run). Run on
   * another thread as soon as the server listens, it initialises and compiles the collectors' and
   * the writer's code while the first connection is still in its TLS handshake and basic-auth
   * check, on the core they leave idle; a scrape that arrives meanwhile shares this render, as
   * overlapping scrapes share one. It runs under the deadline {@code scrapeTimeoutHeader} (the
   * first scrape's X-Prometheus-Scrape-Timeout-Seconds; null: --scrape.timeout) sets, so a scrape
   * sharing it is answered within its own. A failure here is the next scrape's to report.
   */
  public void prime(String scrapeTimeoutHeader) {
    try {
      Rendered r = shared(scrapeTimeoutHeader == null ? null : new TimeoutOnly(scrapeTimeoutHeader), true);
      if (r != null) {
        r.gzip();
      }
    } catch (IOException | RuntimeException e) {
      java.util.logging.Logger.getLogger(ScrapeHandler.class.getName()).log(java.util.logging.Level.FINE,
          "first render at start failed", e);
    }
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String accept = ex.getRequestHeaders().getFirst("Accept");
    String query = ex.getRequestURI().getRawQuery();
    // Text whenever the scraper accepts it (ExpositionFormat); protobuf and OpenMetrics-only
    // scrapers get client_java's writers.
    if (ExpositionFormat.negotiate(accept, true) != ExpositionFormat.TEXT
        || (query != null && (query.contains("name") || query.contains("debug")))) {
      delegate.handle(ex);
      return;
    }
    PrometheusScrapeRequest request = new HttpExchangeAdapter(ex).getRequest();
    Rendered r;
    if (query == null) {
      r = shared(request);
    } else {
      r = render(request);
    }
    respond(ex, r);
  }

  /** A rendered text body, and its gzip once a scrape asked for it; scrapes that overlap share one. */
  private static final class Rendered {
    final byte[] body;
    final List<Prerendered> prerendered;
    private byte[] gzip;

    Rendered(byte[] body, List<Prerendered> prerendered) {
      this.body = body;
      this.prerendered = prerendered;
    }

    synchronized byte[] gzip() throws IOException {
      if (gzip == null) {
        gzip = Prerendered.gzip(body);
      }
      return gzip;
    }
  }

  private final Object renderLock = new Object();
  /** A render has been started (set by {@link #render}, whoever called it); guarded by renderLock. */
  private boolean renderedOnce;
  private java.util.concurrent.CompletableFuture<Rendered> rendering;

  /**
   * Scrapes that arrive while one is being rendered wait for it and send the same bytes: they
   * would have joined the same collector runs anyway (see CollectorRegistry), and so many
   * concurrent scrapes (up to --web.max-requests) hold one body in memory instead of one each.
   */
  private Rendered shared(PrometheusScrapeRequest request) throws IOException {
    return shared(request, false);
  }

  /**
   * As above; with {@code onlyFirst}, null (nothing done) when a render has ever been started. One
   * owned but not yet started is joined, which costs no collector run either.
   */
  private Rendered shared(PrometheusScrapeRequest request, boolean onlyFirst) throws IOException {
    java.util.concurrent.CompletableFuture<Rendered> mine;
    boolean owner = false;
    synchronized (renderLock) {
      if (onlyFirst && renderedOnce) {
        return null;
      }
      if (rendering == null) {
        rendering = new java.util.concurrent.CompletableFuture<>();
        owner = true;
      }
      mine = rendering;
    }
    if (owner) {
      try {
        mine.complete(render(request));
      } catch (IOException | RuntimeException | Error e) {
        mine.completeExceptionally(e);
      } finally {
        synchronized (renderLock) {
          rendering = null;
        }
      }
    }
    try {
      return mine.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }

  private Rendered render(PrometheusScrapeRequest request) throws IOException {
    synchronized (renderLock) {
      renderedOnce = true;
    }
    SnapshotSink sink = collectors.scrape(request);
    MetricSnapshots rest = own.scrape(request);
    List<Part> parts = new ArrayList<>(sink.families().size() + rest.size());
    for (SnapshotSink.Family f : sink.families()) {
      parts.add(new Part(f.sortKey(), f, null));
    }
    List<MetricSnapshot> others = new ArrayList<>();
    for (MetricSnapshot s : rest) {
      if (TextFormat.supports(s)) {
        parts.add(new Part(s.getMetadata().getPrometheusName(), null, s));
      } else {
        others.add(s);
      }
    }
    parts.sort(Comparator.comparing(Part::key));
    StringBuilder sb = new StringBuilder(32 * 1024);
    for (Part p : parts) {
      if (p.family() != null) {
        p.family().writeText(sb);
      } else {
        TextFormat.write(sb, p.snapshot());
      }
    }
    byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
    if (!others.isEmpty()) {
      // Histograms and summaries (a prober's own), in client_java's writer.
      ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 4096);
      out.write(body);
      CLIENT_JAVA_TEXT.write(out, new MetricSnapshots(others), EscapingScheme.UNDERSCORE_ESCAPING);
      body = out.toByteArray();
    }
    return new Rendered(body, sink.prerendered());
  }

  private static void respond(HttpExchange ex, Rendered rendered) throws IOException {
    byte[] body = rendered.body;
    List<Prerendered> prerendered = rendered.prerendered;
    ex.getResponseHeaders().set("Content-Type", ExpositionFormat.TEXT.contentType());
    String encoding = ex.getRequestHeaders().getFirst("Accept-Encoding");
    if (encoding != null && Set.of(encoding.replace(" ", "").split(",")).contains("gzip")) {
      // Concatenated gzip members are one valid gzip stream (RFC 1952); Go's reader reads them all.
      byte[] gzip = rendered.gzip();
      long length = gzip.length;
      for (Prerendered p : prerendered) {
        length += p.gzip().length;
      }
      ex.getResponseHeaders().set("Content-Encoding", "gzip");
      ex.sendResponseHeaders(200, length);
      try (OutputStream out = new SmallWrites(ex.getResponseBody())) {
        out.write(gzip);
        for (Prerendered p : prerendered) {
          out.write(p.gzip());
        }
      }
    } else {
      long length = body.length;
      for (Prerendered p : prerendered) {
        length += p.textLength();
      }
      ex.sendResponseHeaders(200, length);
      try (OutputStream out = new SmallWrites(ex.getResponseBody())) {
        out.write(body);
        for (Prerendered p : prerendered) {
          p.writeText(out);
        }
      }
    }
    ex.close();
  }

  /**
   * Hands the JDK server at most 4 KiB per write. Its connection's socket stream copies each write
   * into a buffer twice the write's size and keeps that buffer as long as the connection lives,
   * so one write of a whole 50 KiB body pins 100 KiB per kept connection; in small writes its
   * 8 KiB BufferedOutputStream passes on at most 8 KiB at a time.
   */
  static final class SmallWrites extends java.io.FilterOutputStream {
    private static final int CHUNK = 4096;

    SmallWrites(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int i = 0; i < len; i += CHUNK) {
        out.write(b, off + i, Math.min(CHUNK, len - i));
      }
    }
  }
}
