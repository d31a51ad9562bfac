package io.promsuite.pushgateway;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.config.ExporterPushgatewayProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.config.PrometheusPropertiesException;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;

/**
 * A client for one Pushgateway: {@code push} (PUT), {@code pushAdd} (POST) and {@code delete},
 * retried per its {@link RetryPolicy}, and, when a spool is configured, kept on disk when the
 * gateway stays unreachable and re-sent in order later. Thread-safe; reuses its connections.
 *
 * <p>Its builder and the no-argument {@link #push()}, {@link #pushAdd()} and {@link #delete()} are
 * those of client_java's {@code io.prometheus.metrics.exporter.pushgateway.PushGateway} (same
 * names, defaults and {@code io.prometheus.exporter.pushgateway.*} properties), so code written for
 * it runs on this class with only its imports changed.
 */
public final class PushGateway implements AutoCloseable {

  /** Content type of exposition text 0.0.4, for {@link #pushText}. */
  public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpTransport transport;
  private final Delivery delivery;
  private final ExpositionFormatWriter writer;
  private final EscapingScheme escapingScheme;
  private final PushGatewayClientMetrics metrics;
  private final PrometheusRegistry registry;
  private final GroupingKey groupingKey;

  private PushGateway(Builder b, URI base, GroupingKey groupingKey, EscapingScheme escapingScheme,
      boolean timestampsInMs, Duration connectTimeout, Duration requestTimeout) throws IOException {
    this.metrics = b.metrics;
    this.registry = b.registry;
    this.groupingKey = groupingKey;
    this.escapingScheme = escapingScheme;
    // The spool first: if its directory is unusable, no HTTP client has been started to leak.
    Spool spool = b.spoolDir == null ? null : new Spool(b.spoolDir, b.spoolMaxBytes);
    if (spool != null) {
      try (Spool.Locked ignored = spool.lock()) {
        metrics.spoolSize(spool.entries().size());
      }
    }
    this.writer = b.format == Format.PROMETHEUS_PROTOBUF ? new PrometheusProtobufWriter()
        : PrometheusTextFormatWriter.builder().setTimestampsInMs(timestampsInMs).build();
    if (!writer.isAvailable()) {
      throw new IllegalStateException(writer.getClass().getName() + " is not available");
    }
    this.transport = new HttpTransport(base, b.connectionFactory, connectTimeout, requestTimeout, b.sslContext,
        b.headers());
    this.delivery = new Delivery(new RetryingSender(transport, b.retryPolicy, metrics, b.random), spool, metrics);
  }

  /**
   * Starts configuring a client as client_java's {@code PushGateway.builder()} does: what the builder
   * is told can be overridden at run time by the {@code io.prometheus.exporter.pushgateway.*}
   * properties ({@code address}, {@code scheme}, {@code job}, {@code escaping_scheme},
   * {@code connect_timeout_seconds}, {@code read_timeout_seconds}) of {@link PrometheusProperties#get()}.
   */
  public static Builder builder() {
    return builder(PrometheusProperties.get());
  }

  /** As {@link #builder()}, with overrides from {@code config} instead of the JVM's properties. */
  public static Builder builder(PrometheusProperties config) {
    return new Builder(Objects.requireNonNull(config, "config"));
  }

  /**
   * Starts configuring a client for the gateway at {@code gateway}: {@code http://host:port},
   * {@code https://host:port[/prefix]} or {@code host:port} (http unless {@link Builder#scheme}
   * says otherwise). No properties override what is set on this builder.
   */
  public static Builder builder(String gateway) {
    Builder b = new Builder(null);
    GatewayAddress a = GatewayAddress.parse(Objects.requireNonNull(gateway, "gateway"), Scheme.HTTP);
    a.base("gateway");
    b.scheme = a.scheme();
    b.address = a.address();
    return b;
  }

  /** PUT: replaces the builder's group with the builder's registry (by default the default registry). */
  public PushResult push() throws IOException {
    return push(groupingKey, registry);
  }

  /** PUT: replaces the builder's group with the metric of one collector. */
  public PushResult push(Collector collector) throws IOException {
    return push(groupingKey, registryOf(collector));
  }

  /** PUT: replaces the builder's group with the metrics of one multi-collector. */
  public PushResult push(MultiCollector collector) throws IOException {
    return push(groupingKey, registryOf(collector));
  }

  /** POST: replaces the builder's group's metrics that have the same names as the registry's. */
  public PushResult pushAdd() throws IOException {
    return pushAdd(groupingKey, registry);
  }

  /** POST: replaces only the collector's metric in the builder's group. */
  public PushResult pushAdd(Collector collector) throws IOException {
    return pushAdd(groupingKey, registryOf(collector));
  }

  /** POST: replaces only the multi-collector's metrics in the builder's group. */
  public PushResult pushAdd(MultiCollector collector) throws IOException {
    return pushAdd(groupingKey, registryOf(collector));
  }

  /** DELETE: removes the builder's group. */
  public PushResult delete() throws IOException {
    return delete(groupingKey);
  }

  /** Replaces the whole group with the registry's current metrics. */
  public PushResult push(GroupingKey key, PrometheusRegistry registry) throws PushException {
    return push(key, registry.scrape());
  }

  /** Replaces the whole group with {@code snapshots}. */
  public PushResult push(GroupingKey key, MetricSnapshots snapshots) throws PushException {
    return delivery.submit(new PushRequest(PushMethod.PUT, key.path(), writer.getContentType(), serialise(snapshots)));
  }

  /** Replaces only the group's metrics that have the same names as the registry's. */
  public PushResult pushAdd(GroupingKey key, PrometheusRegistry registry) throws PushException {
    return pushAdd(key, registry.scrape());
  }

  /** Replaces only the group's metrics that have the same names as {@code snapshots}. */
  public PushResult pushAdd(GroupingKey key, MetricSnapshots snapshots) throws PushException {
    return delivery.submit(new PushRequest(PushMethod.POST, key.path(), writer.getContentType(), serialise(snapshots)));
  }

  /** Removes the group. */
  public PushResult delete(GroupingKey key) throws PushException {
    return delivery.submit(new PushRequest(PushMethod.DELETE, key.path(), "", new byte[0]));
  }

  /**
   * Sends exposition text as it is (PUT or POST); the caller vouches for its syntax (the CLI
   * validates it with its parser first).
   */
  public PushResult pushText(PushMethod method, GroupingKey key, byte[] text) throws PushException {
    if (method == PushMethod.DELETE) {
      throw new IllegalArgumentException("pushText sends PUT or POST; use delete()");
    }
    return delivery.submit(new PushRequest(method, key.path(), TEXT_CONTENT_TYPE, text));
  }

  /** The group the no-argument methods push to: the builder's job and grouping key. */
  public GroupingKey groupingKey() {
    return groupingKey;
  }

  /** The client's own metrics, to register where you want them. */
  public PushGatewayClientMetrics metrics() {
    return metrics;
  }

  /** The spool, or null when spooling is off. */
  public Spool spool() {
    return delivery.spool();
  }

  /**
   * Re-sends every spooled request in order. Stops at the first one that still cannot be
   * delivered; entries the gateway refuses are moved to the spool's {@code rejected/} directory.
   *
   * @throws IllegalStateException when no spool is configured
   */
  public FlushResult flush() throws PushException {
    return delivery.flush();
  }

  private static PrometheusRegistry registryOf(Collector collector) {
    PrometheusRegistry r = new PrometheusRegistry();
    r.register(collector);
    return r;
  }

  private static PrometheusRegistry registryOf(MultiCollector collector) {
    PrometheusRegistry r = new PrometheusRegistry();
    r.register(collector);
    return r;
  }

  private byte[] serialise(MetricSnapshots snapshots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, snapshots, escapingScheme);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    transport.close();
  }

  /**
   * Configures a {@link PushGateway}. Its methods up to {@link #readTimeout} are client_java's, with
   * the same defaults; the rest (retries, spool, TLS trust, headers) are this library's.
   */
  public static final class Builder {

    /** The default bound on a spool directory: 64 MiB. */
    public static final long DEFAULT_SPOOL_MAX_BYTES = 64L << 20;

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final PrometheusProperties config;
    private Scheme scheme;
    private String address;
    private String job;
    private final Map<String, String> groupingKey = new TreeMap<>();
    private PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
    private HttpConnectionFactory connectionFactory = new DefaultHttpConnectionFactory();
    private Format format = Format.PROMETHEUS_PROTOBUF;
    private EscapingScheme escapingScheme;
    private boolean prometheusTimestampsInMs;
    private Duration connectTimeout;
    private Duration requestTimeout;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private SSLContext sslContext;
    private Path spoolDir;
    private long spoolMaxBytes = DEFAULT_SPOOL_MAX_BYTES;
    private PushGatewayClientMetrics metrics = new PushGatewayClientMetrics();
    private RandomGenerator random = RandomGenerator.getDefault();
    private String authorization;
    private final List<Map.Entry<String, String>> extraHeaders = new ArrayList<>();

    private Builder(PrometheusProperties config) {
      this.config = config;
    }

    /** The gateway as {@code host:port} (default {@code localhost:9091}); property {@code address}. */
    public Builder address(String address) {
      this.address = Objects.requireNonNull(address, "address must not be null");
      return this;
    }

    /** http (default) or https; property {@code scheme}. */
    public Builder scheme(Scheme scheme) {
      this.scheme = Objects.requireNonNull(scheme, "scheme must not be null");
      return this;
    }

    /**
     * The {@code job} of the no-argument methods' group; property {@code job}. By default the name
     * of the JAR the JVM was started with, without {@code .jar}, or {@code unknown_job}.
     */
    public Builder job(String job) {
      this.job = Objects.requireNonNull(job, "job must not be null");
      return this;
    }

    /** Adds a label to the no-argument methods' group; call once per label. */
    public Builder groupingKey(String name, String value) {
      groupingKey.put(Objects.requireNonNull(name, "name must not be null"),
          Objects.requireNonNull(value, "value must not be null"));
      return this;
    }

    /** Adds {@code instance=<this host's IP address>} to the group. */
    public Builder instanceIpGroupingKey() throws UnknownHostException {
      return groupingKey("instance", InetAddress.getLocalHost().getHostAddress());
    }

    /** What {@link PushGateway#push()} and {@link PushGateway#pushAdd()} push (default: the default registry). */
    public Builder registry(PrometheusRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry must not be null");
      return this;
    }

    /** Sends {@code Authorization: Basic ...}. */
    public Builder basicAuth(String user, String password) {
      String credentials = Objects.requireNonNull(user, "user must not be null") + ":"
          + Objects.requireNonNull(password, "password must not be null");
      this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
      return this;
    }

    /** Sends {@code Authorization: Bearer <token>}. */
    public Builder bearerToken(String token) {
      this.authorization = "Bearer " + Objects.requireNonNull(token, "token must not be null");
      return this;
    }

    /** Opens each connection (default {@link DefaultHttpConnectionFactory}), e.g. to set up TLS. */
    public Builder connectionFactory(HttpConnectionFactory connectionFactory) {
      this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory must not be null");
      return this;
    }

    /** The body format (default {@link Format#PROMETHEUS_PROTOBUF}). */
    public Builder format(Format format) {
      this.format = Objects.requireNonNull(format, "format must not be null");
      return this;
    }

    /** How metric names outside the legacy character set are written (default underscores); property {@code escaping_scheme}. */
    public Builder escapingScheme(EscapingScheme escapingScheme) {
      this.escapingScheme = Objects.requireNonNull(escapingScheme, "escapingScheme must not be null");
      return this;
    }

    /** Timestamps in milliseconds in the text format (default false); also on with property {@code io.prometheus.exporter.timestamps_in_ms}. */
    public Builder prometheusTimestampsInMs(boolean prometheusTimestampsInMs) {
      this.prometheusTimestampsInMs = prometheusTimestampsInMs;
      return this;
    }

    /** Time allowed to open a connection (default 10 s); property {@code connect_timeout_seconds}. */
    public Builder connectionTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connection timeout");
      return this;
    }

    /** Time allowed for each wait for the gateway's answer (default 10 s); property {@code read_timeout_seconds}. */
    public Builder readTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "read timeout");
      return this;
    }

    /** The same as {@link #connectionTimeout}. */
    public Builder connectTimeout(Duration timeout) {
      return connectionTimeout(timeout);
    }

    /** The same as {@link #readTimeout}. */
    public Builder requestTimeout(Duration timeout) {
      return readTimeout(timeout);
    }

    /** How failed requests are retried (default {@link RetryPolicy#DEFAULT}). */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Adds a header to every request, for proxies and gateways behind them. */
    public Builder header(String name, String value) {
      extraHeaders.add(Map.entry(Objects.requireNonNull(name), Objects.requireNonNull(value)));
      return this;
    }

    /** Uses this TLS context for https, e.g. {@link TlsTrust#fromPem} for a private CA. */
    public Builder sslContext(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context, "context");
      return this;
    }

    /** Turns the spool on: pushes that still fail after their retries are kept in {@code dir}. */
    public Builder spool(Path dir) {
      this.spoolDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** Bounds the spool directory's size (default 64 MiB); past it a push fails with {@link SpoolFullException}. */
    public Builder spoolMaxBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("spool size bound must be positive, got " + bytes);
      }
      this.spoolMaxBytes = bytes;
      return this;
    }

    /** Counts into these metrics instead of the client's own (e.g. to share them between clients). */
    public Builder metrics(PushGatewayClientMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** The source of backoff jitter; for reproducible tests. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the client. A property wins over what the builder was told, which wins over the default.
     *
     * @throws PrometheusPropertiesException when a property's address is not {@code host:port}
     * @throws IllegalArgumentException when the builder's address, job or grouping key is invalid
     * @throws UncheckedIOException when the spool directory cannot be created or read
     */
    public PushGateway build() {
      ExporterPushgatewayProperties p = config == null ? null : config.getExporterPushgatewayProperties();
      String propAddress = p == null ? null : p.getAddress();
      Scheme s = p != null && p.getScheme() != null ? Scheme.fromString(p.getScheme())
          : scheme != null ? scheme : Scheme.HTTP;
      GatewayAddress where = new GatewayAddress(s, firstOf(propAddress, address, GatewayAddress.DEFAULT_ADDRESS));
      URI base;
      try {
        base = where.base(propAddress != null ? "property io.prometheus.exporter.pushgateway.address" : "address");
      } catch (IllegalArgumentException e) {
        if (propAddress != null) {
          throw new PrometheusPropertiesException(e.getMessage(), e);
        }
        throw e;
      }
      String j = firstOf(p == null ? null : p.getJob(), job, null);
      GroupingKey key = GroupingKey.of(j != null ? j : DefaultJobName.detect(), groupingKey);
      EscapingScheme escaping = firstOf(p == null ? null : p.getEscapingScheme(), escapingScheme,
          EscapingScheme.UNDERSCORE_ESCAPING);
      boolean timestampsInMs = prometheusTimestampsInMs
          || config != null && config.getExporterProperties().getPrometheusTimestampsInMs();
      try {
        return new PushGateway(this, base, key, escaping, timestampsInMs,
            firstOf(p == null ? null : p.getConnectTimeout(), connectTimeout, DEFAULT_TIMEOUT),
            firstOf(p == null ? null : p.getReadTimeout(), requestTimeout, DEFAULT_TIMEOUT));
      } catch (IOException e) {
        throw new UncheckedIOException("spool " + spoolDir + ": " + e.getMessage(), e);
      }
    }

    List<Map.Entry<String, String>> headers() {
      List<Map.Entry<String, String>> all = new ArrayList<>();
      all.add(Map.entry("User-Agent", UserAgent.VALUE));
      all.addAll(extraHeaders);
      if (authorization != null) {
        all.add(Map.entry("Authorization", authorization));
      }
      return all;
    }

    private static <T> T firstOf(T property, T set, T dflt) {
      return property != null ? property : set != null ? set : dflt;
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
