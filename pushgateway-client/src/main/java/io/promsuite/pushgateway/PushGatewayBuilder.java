package io.promsuite.pushgateway;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;

/** Configures a {@link PushGateway}; every setting but the URL has a default. */
public final class PushGatewayBuilder {

  /** The default bound on a spool directory: 64 MiB. */
  public static final long DEFAULT_SPOOL_MAX_BYTES = 64L << 20;

  final URI url;
  Duration connectTimeout = Duration.ofSeconds(5);
  Duration requestTimeout = Duration.ofSeconds(10);
  RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
  PushGateway.Format format = PushGateway.Format.PROTOBUF;
  SSLContext sslContext;
  Path spoolDir;
  long spoolMaxBytes = DEFAULT_SPOOL_MAX_BYTES;
  PushGatewayClientMetrics metrics = new PushGatewayClientMetrics();
  RandomGenerator random = RandomGenerator.getDefault();
  private String authorization;
  private final List<Map.Entry<String, String>> extraHeaders = new ArrayList<>();

  PushGatewayBuilder(String url) {
    Objects.requireNonNull(url, "url");
    try {
      URI u = new URI(url);
      if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
        throw new IllegalArgumentException("gateway URL '" + url + "' must be http://host:port or https://host:port");
      }
      if (u.getQuery() != null || u.getFragment() != null) {
        throw new IllegalArgumentException("gateway URL '" + url + "' must not have a query or fragment");
      }
      this.url = u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("gateway URL '" + url + "' is not a URL: " + e.getMessage(), e);
    }
  }

  /** Time allowed to open a connection (default 5 s). */
  public PushGatewayBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connect timeout");
    return this;
  }

  /** Time allowed for one request, from sending to the end of the answer (default 10 s). */
  public PushGatewayBuilder requestTimeout(Duration timeout) {
    this.requestTimeout = positive(timeout, "request timeout");
    return this;
  }

  /** How failed requests are retried (default {@link RetryPolicy#DEFAULT}). */
  public PushGatewayBuilder retryPolicy(RetryPolicy policy) {
    this.retryPolicy = Objects.requireNonNull(policy, "policy");
    return this;
  }

  /** The body format for pushed snapshots (default protobuf). */
  public PushGatewayBuilder format(PushGateway.Format format) {
    this.format = Objects.requireNonNull(format, "format");
    return this;
  }

  /** Sends {@code Authorization: Basic ...}. */
  public PushGatewayBuilder basicAuth(String user, String password) {
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /** Sends {@code Authorization: Bearer <token>}. */
  public PushGatewayBuilder bearerToken(String token) {
    this.authorization = "Bearer " + token;
    return this;
  }

  /** Adds a header to every request, for proxies and gateways behind them. */
  public PushGatewayBuilder header(String name, String value) {
    extraHeaders.add(Map.entry(Objects.requireNonNull(name), Objects.requireNonNull(value)));
    return this;
  }

  /** Uses this TLS context for https, e.g. {@link TlsTrust#fromPem} for a private CA. */
  public PushGatewayBuilder sslContext(SSLContext context) {
    this.sslContext = Objects.requireNonNull(context, "context");
    return this;
  }

  /** Turns the spool on: pushes that still fail after their retries are kept in {@code dir}. */
  public PushGatewayBuilder spool(Path dir) {
    this.spoolDir = Objects.requireNonNull(dir, "dir");
    return this;
  }

  /** Bounds the spool directory's size (default 64 MiB); past it a push fails with {@link SpoolFullException}. */
  public PushGatewayBuilder spoolMaxBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("spool size bound must be positive, got " + bytes);
    }
    this.spoolMaxBytes = bytes;
    return this;
  }

  /** Counts into these metrics instead of the client's own (e.g. to share them between clients). */
  public PushGatewayBuilder metrics(PushGatewayClientMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  /** The source of backoff jitter; for reproducible tests. */
  public PushGatewayBuilder random(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  /**
   * Builds the client.
   *
   * @throws IOException when the spool directory cannot be created or read
   */
  public PushGateway build() throws IOException {
    return new PushGateway(this);
  }

  List<Map.Entry<String, String>> headers() {
    List<Map.Entry<String, String>> all = new ArrayList<>(extraHeaders);
    if (authorization != null) {
      all.add(Map.entry("Authorization", authorization));
    }
    return all;
  }

  private static Duration positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }
}
