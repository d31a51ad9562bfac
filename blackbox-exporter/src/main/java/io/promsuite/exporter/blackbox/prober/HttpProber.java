package io.promsuite.exporter.blackbox.prober;

import io.promsuite.exporter.blackbox.config.HeaderMatch;
import io.promsuite.exporter.blackbox.config.HttpProbe;
import io.promsuite.exporter.blackbox.config.Module;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import okhttp3.CookieJar;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The {@code http} prober: one request (following redirects) checked against the module's rules. */
public final class HttpProber implements Prober {
  private static final int MAX_REDIRECTS = 10;
  private final Resolver resolver;
  private final HttpClients clients;
  private final OAuth2Tokens oauth2;
  private final String userAgent;

  public HttpProber(Resolver resolver, String version) {
    this.resolver = resolver;
    this.clients = new HttpClients(resolver.rules());
    this.oauth2 = new OAuth2Tokens();
    this.userAgent = "Blackbox Exporter/" + version;
  }

  @Override
  public boolean probe(Deadline deadline, String target, Module module, ProbeSink sink, ProbeLog log)
      throws InterruptedException {
    HttpProbe cfg = module.http();
    ProbeSink.Gauge phases = sink.gauge("probe_http_duration_seconds",
        "Duration of http request by phase, summed over all redirects", "phase");
    ProbeSink.Gauge contentLength = sink.gauge("probe_http_content_length", "Length of http content response");
    ProbeSink.Gauge bodyLength = sink.gauge("probe_http_uncompressed_body_length", "Length of uncompressed response body");
    ProbeSink.Gauge redirectsGauge = sink.gauge("probe_http_redirects", "The number of redirects");
    ProbeSink.Gauge ssl = sink.gauge("probe_http_ssl", "Indicates if SSL was used for the final redirect");
    ProbeSink.Gauge status = sink.gauge("probe_http_status_code", "Response HTTP status code");
    ProbeSink.Gauge version = sink.gauge("probe_http_version", "Returns the version of HTTP of the probe response");
    ProbeSink.Gauge regex = sink.gauge("probe_failed_due_to_regex", "Indicates if probe failed due to regex");
    for (ProbeSink.Gauge g : List.of(contentLength, bodyLength, redirectsGauge, ssl, status, version, regex)) {
      g.set(0);
    }
    if (!target.startsWith("http://") && !target.startsWith("https://")) {
      target = "http://" + target;
    }
    HttpUrl url = HttpUrl.parse(target);
    if (url == null) {
      log.error("Could not parse target URL", "err", "invalid URL " + target);
      return false;
    }
    String host = url.host();
    Resolver.Choice choice = null;
    if (!cfg.skipResolvePhaseWithProxy() || cfg.client().proxyUrl().isEmpty()) {
      choice = resolver.chooseOrLog(host, cfg.preferredIpProtocol(), cfg.ipProtocolFallback(), sink, log);
      phases.add(choice == null ? 0 : choice.lookupSeconds(), "resolve");
      if (choice == null) {
        return false;
      }
    }
    for (String p : List.of("connect", "tls", "processing", "transfer")) {
      phases.add(0, p);
    }
    HttpClients.Base base;
    try {
      base = clients.base(cfg, url.isHttps());
    } catch (IOException | java.security.GeneralSecurityException e) {
      log.error("Error generating HTTP client", "err", e.getMessage());
      return false;
    }
    String hostHeader = header(cfg.headers(), "Host");
    String verifyName = !cfg.client().tlsConfig().serverName().isEmpty() ? cfg.client().tlsConfig().serverName()
        : hostHeader != null ? hostHeader : "";
    HttpTrace trace = new HttpTrace();
    InetAddress chosen = choice == null ? null : choice.address();
    // Every address this probe's sockets may reach: what the rules returned for the target and each hop.
    Set<InetAddress> admitted = ConcurrentHashMap.newKeySet();
    if (chosen != null) {
      admitted.add(chosen);
    }
    TargetRules rules = resolver.rules();
    okhttp3.Dns dns = name -> {
      if (chosen != null && name.equalsIgnoreCase(host)) {
        return List.of(chosen);
      }
      try {
        List<InetAddress> all = rules.resolve(name);
        admitted.addAll(all);
        return all;
      } catch (TargetRules.Refused e) {
        throw new UnknownHostException(e.getMessage());
      }
    };
    CookieJar jar = HttpClients.probeCookies();
    OkHttpClient client = clients.forProbe(base, trace, dns, jar, admitted);

    boolean success = false;
    int redirects = 0;
    String method = cfg.method();
    byte[] body = cfg.body().isEmpty() ? null : cfg.body().getBytes(StandardCharsets.UTF_8);
    Response resp = null;
    boolean requestErrored = false;
    HttpUrl current = url;
    try {
      while (true) {
        Request request;
        try {
          request = request(cfg, current, method, body, url, deadline.remaining());
        } catch (IOException e) {
          log.error("Error creating request", "err", e.getMessage());
          return false;
        }
        if (current.isHttps() && base.tls() == null) { // Redirected from http to https.
          try {
            base = clients.base(cfg, true);
          } catch (IOException | java.security.GeneralSecurityException e) {
            log.error("Error generating HTTP client", "err", e.getMessage());
            return false;
          }
          client = clients.forProbe(base, trace, dns, jar, admitted);
        }
        trace.begin();
        var call = client.newCall(request);
        call.timeout().timeout(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
        HttpClients.CURRENT.set(new HttpClients.TlsName(host, verifyName));
        try {
          resp = call.execute();
        } catch (IOException e) {
          log.error("Error for HTTP request", "err", describe(e, deadline));
          resp = null;
          break;
        } finally {
          HttpClients.CURRENT.remove();
        }
        String location = resp.header("Location");
        if (!resp.isRedirect() || location == null || resp.code() == 300 || resp.code() == 304) {
          break;
        }
        log.info("Received redirect", "location", location);
        redirects++;
        HttpUrl next = current.resolve(location);
        if (redirects > MAX_REDIRECTS || !cfg.client().followRedirects() || next == null) {
          log.info("Not following redirect");
          requestErrored = true;
          resp.close();
          break;
        }
        if (resp.code() == 301 || resp.code() == 302 || resp.code() == 303) {
          if (!method.equals("HEAD")) {
            method = "GET";
          }
          body = null;
        }
        resp.close();
        String refused = rules.checkName(next.host());
        if (refused != null) {
          log.error("Error for HTTP request", "err", "redirect refused: " + refused);
          resp = null;
          break;
        }
        current = next;
      }
      redirectsGauge.set(redirects);
      if (resp == null) {
        trace.report(phases, log);
        return false;
      }
      log.info("Received HTTP response", "status_code", resp.code());
      success = HttpChecks.validStatus(cfg, resp.code(), log);
      if (success && (!cfg.failIfHeaderMatches().isEmpty() || !cfg.failIfHeaderNotMatches().isEmpty())) {
        success = HttpChecks.headersOk(cfg, resp, log);
        regex.set(success ? 0 : 1);
      }
      byte[] content = new byte[0];
      if (!requestErrored) {
        try {
          content = HttpChecks.readBody(cfg, resp);
        } catch (IOException e) {
          log.info("Failed to read HTTP response body", "err", describe(e, deadline));
          if (success && (!cfg.failIfBodyMatchesRegexp().isEmpty() || !cfg.failIfBodyNotMatchesRegexp().isEmpty())) {
            // blackbox_exporter reads the body while matching: a body it cannot read fails the regexps.
            regex.set(1);
          }
          success = false;
        }
        trace.bodyRead();
      }
      if (success && (!cfg.failIfBodyMatchesRegexp().isEmpty() || !cfg.failIfBodyNotMatchesRegexp().isEmpty())) {
        success = HttpChecks.bodyOk(cfg, new String(content, StandardCharsets.UTF_8), log);
        regex.set(success ? 0 : 1);
      }
      Date lastModified = resp.headers().getDate("Last-Modified");
      if (lastModified != null) {
        sink.gauge("probe_http_last_modified_timestamp_seconds", "Returns the Last-Modified HTTP response header in unixtime")
            .set(lastModified.getTime() / 1000);
      }
      String proto = HttpChecks.protocol(resp);
      version.set(Double.parseDouble(proto.substring("HTTP/".length())));
      if (!cfg.validHttpVersions().isEmpty() && cfg.validHttpVersions().stream()
          .noneMatch(v -> v.equals(proto) || v.equals(proto.replace(".0", "")))) {
        log.error("Invalid HTTP version number", "version", proto);
        success = false;
      }
      HttpTrace.Hop last = trace.hops.getLast();
      if (resp.request().isHttps() && last.session != null) {
        ssl.set(1);
        TlsSupport.report(sink, last.session, TlsSupport.verifiedChain(last.session, base.tls().trust(), base.tls().insecure()));
        if (cfg.failIfSsl()) {
          log.error("Final request was over SSL");
          success = false;
        }
      } else if (cfg.failIfNotSsl()) {
        log.error("Final request was not over SSL");
        success = false;
      }
      status.set(resp.code());
      // -1 when unknown (chunked, or gzip that OkHttp undid), as Go's resp.ContentLength.
      contentLength.set(resp.body() == null ? -1 : resp.body().contentLength());
      bodyLength.set(content.length);
      trace.report(phases, log);
      return success;
    } finally {
      if (resp != null) {
        resp.close();
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("probe cancelled");
      }
    }
  }

  private Request request(HttpProbe cfg, HttpUrl url, String method, byte[] body, HttpUrl original,
      java.time.Duration timeout) throws IOException {
    Request.Builder b = new Request.Builder().url(url);
    boolean sameHost = url.host().equalsIgnoreCase(original.host());
    for (Map.Entry<String, String> h : cfg.headers().entrySet()) {
      if (h.getKey().equalsIgnoreCase("Host") && !sameHost) {
        continue;
      }
      b.header(h.getKey(), h.getValue());
    }
    if (header(cfg.headers(), "User-Agent") == null) {
      b.header("User-Agent", userAgent);
    }
    if (!cfg.compression().isEmpty() && header(cfg.headers(), "Accept-Encoding") == null) {
      b.header("Accept-Encoding", cfg.compression());
    }
    String authorization = cfg.client().authorizationHeader();
    if (authorization != null) {
      b.header("Authorization", authorization);
    } else if (cfg.client().oauth2() != null) {
      b.header("Authorization", "Bearer " + oauth2.token(cfg.client().oauth2(), timeout));
    }
    RequestBody rb = null;
    if (body != null) {
      String ct = header(cfg.headers(), "Content-Type");
      rb = RequestBody.create(body, ct == null ? null : MediaType.parse(ct));
    } else if (okhttp3.internal.http.HttpMethod.requiresRequestBody(method)) {
      rb = RequestBody.create(new byte[0], null);
    }
    return b.method(method, rb).build();
  }

  private static String header(Map<String, String> headers, String name) {
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getKey().equalsIgnoreCase(name)) {
        return h.getValue();
      }
    }
    return null;
  }

  private static String describe(IOException e, Deadline deadline) {
    if (deadline.expired()) {
      return "context deadline exceeded";
    }
    String m = e.getMessage();
    return m == null ? "connection failed" : m;
  }
}
