package io.promsuite.pushgateway;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A client for one Pushgateway: {@code push} (PUT), {@code pushAdd} (POST) and {@code delete},
 * retried per its {@link RetryPolicy}, and, when a spool is configured, kept on disk when the
 * gateway stays unreachable and re-sent in order later. Thread-safe; reuses its connections.
 */
public final class PushGateway implements AutoCloseable {

  /** The body format for pushed snapshots. */
  public enum Format {
    /** Delimited protobuf, the gateway's most compact input. */
    PROTOBUF,
    /** Text format 0.0.4. */
    TEXT
  }

  /** Content type of exposition text 0.0.4, for {@link #pushText}. */
  public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpTransport transport;
  private final RetryingSender sender;
  private final ExpositionFormatWriter writer;
  private final Spool spool;
  private final PushGatewayClientMetrics metrics;

  PushGateway(PushGatewayBuilder b) throws IOException {
    this.metrics = b.metrics;
    // The spool first: if its directory is unusable, no HTTP client has been started to leak.
    this.spool = b.spoolDir == null ? null : new Spool(b.spoolDir, b.spoolMaxBytes);
    if (spool != null) {
      try (Spool.Locked ignored = spool.lock()) {
        metrics.spoolSize(spool.entries().size());
      }
    }
    this.writer = b.format == Format.PROTOBUF ? new PrometheusProtobufWriter() : PrometheusTextFormatWriter.create();
    this.transport = new HttpTransport(b.url, b.connectTimeout, b.requestTimeout, b.sslContext, b.headers());
    this.sender = new RetryingSender(transport, b.retryPolicy, metrics, b.random);
  }

  /** Starts configuring a client for the gateway at {@code url}, e.g. {@code http://pushgateway:9091}. */
  public static PushGatewayBuilder builder(String url) {
    return new PushGatewayBuilder(url);
  }

  /** Replaces the whole group with the registry's current metrics. */
  public PushResult push(GroupingKey key, PrometheusRegistry registry) throws PushException {
    return push(key, registry.scrape());
  }

  /** Replaces the whole group with {@code snapshots}. */
  public PushResult push(GroupingKey key, MetricSnapshots snapshots) throws PushException {
    return submit(new PushRequest(PushMethod.PUT, key.path(), writer.getContentType(), serialise(snapshots)));
  }

  /** Replaces only the group's metrics that have the same names as the registry's. */
  public PushResult pushAdd(GroupingKey key, PrometheusRegistry registry) throws PushException {
    return pushAdd(key, registry.scrape());
  }

  /** Replaces only the group's metrics that have the same names as {@code snapshots}. */
  public PushResult pushAdd(GroupingKey key, MetricSnapshots snapshots) throws PushException {
    return submit(new PushRequest(PushMethod.POST, key.path(), writer.getContentType(), serialise(snapshots)));
  }

  /** Removes the group. */
  public PushResult delete(GroupingKey key) throws PushException {
    return submit(new PushRequest(PushMethod.DELETE, key.path(), "", new byte[0]));
  }

  /**
   * Sends exposition text as it is (PUT or POST); the caller vouches for its syntax (the CLI
   * validates it with its parser first).
   */
  public PushResult pushText(PushMethod method, GroupingKey key, byte[] text) throws PushException {
    if (method == PushMethod.DELETE) {
      throw new IllegalArgumentException("pushText sends PUT or POST; use delete()");
    }
    return submit(new PushRequest(method, key.path(), TEXT_CONTENT_TYPE, text));
  }

  /** The client's own metrics, to register where you want them. */
  public PushGatewayClientMetrics metrics() {
    return metrics;
  }

  /** The spool, or null when spooling is off. */
  public Spool spool() {
    return spool;
  }

  /**
   * Re-sends every spooled request in order. Stops at the first one that still cannot be
   * delivered; entries the gateway refuses are moved to the spool's {@code rejected/} directory.
   *
   * @throws IllegalStateException when no spool is configured
   */
  public FlushResult flush() throws PushException {
    if (spool == null) {
      throw new IllegalStateException("flush needs a spool: configure one with PushGatewayBuilder.spool(dir)");
    }
    try (Spool.Locked ignored = spool.lock()) {
      return flushLocked();
    } catch (PushException e) {
      throw e;
    } catch (IOException e) {
      throw new PushException("spool " + spool.directory() + ": " + e.getMessage(), e);
    }
  }

  private FlushResult flushLocked() throws IOException {
    List<Spool.Entry> entries = spool.entries();
    List<String> rejected = new ArrayList<>(spool.takeUnreadable());
    rejected.forEach(r -> metrics.failed("spool_unreadable"));
    int delivered = 0;
    for (int i = 0; i < entries.size(); i++) {
      Spool.Entry entry = entries.get(i);
      try {
        sender.send(entry.request());
        spool.remove(entry);
        delivered++;
        metrics.delivered(entries.size() - i - 1);
      } catch (PushRejectedException e) {
        metrics.failed("rejected");
        rejected.add(e.getMessage() + " (spooled request moved to " + spool.reject(entry) + ")");
        metrics.spoolSize(entries.size() - i - 1);
      } catch (GatewayUnavailableException e) {
        if (e.getCause() instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        return new FlushResult(delivered, rejected, entries.size() - i, e.getMessage());
      }
    }
    return new FlushResult(delivered, rejected, 0, null);
  }

  private PushResult submit(PushRequest request) throws PushException {
    if (spool == null) {
      try {
        sender.send(request);
      } catch (PushRejectedException e) {
        record(request, "rejected", "rejected");
        throw e;
      } catch (GatewayUnavailableException e) {
        record(request, "failed", "unavailable");
        if (e.getCause() instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw e;
      }
      metrics.pushed(request.method(), "sent");
      return PushResult.SENT;
    }
    boolean interrupted = false;
    try (Spool.Locked ignored = spool.lock()) {
      GatewayUnavailableException outage = null;
      // Older spooled requests go first, so the gateway sees every change in the order it was made.
      FlushResult earlier = flushLocked();
      interrupted = Thread.interrupted(); // spooling below must not be broken by the interrupt
      if (earlier.remaining() > 0) {
        outage = new GatewayUnavailableException(earlier.unavailable(), 0, null);
      } else {
        try {
          sender.send(request);
          metrics.pushed(request.method(), "sent");
          return PushResult.SENT;
        } catch (PushRejectedException e) {
          record(request, "rejected", "rejected");
          throw e;
        } catch (GatewayUnavailableException e) {
          interrupted |= e.getCause() instanceof InterruptedException;
          outage = e;
        }
      }
      try {
        // An interrupt that lands while the file is written closes its channel: clear it, write
        // again, and give it back to the caller afterwards (the finally below).
        for (int attempt = 1; ; attempt++) {
          interrupted |= Thread.interrupted();
          try {
            metrics.spooled(spool.append(request));
            break;
          } catch (java.nio.channels.ClosedByInterruptException e) {
            if (attempt == 3) {
              throw e;
            }
          }
        }
      } catch (SpoolFullException e) {
        record(request, "failed", "spool_full");
        throw new SpoolFullException(e.getMessage() + " The gateway: " + outage.getMessage(), outage);
      }
      metrics.pushed(request.method(), "spooled");
      return PushResult.SPOOLED;
    } catch (PushException e) {
      throw e;
    } catch (IOException e) {
      record(request, "failed", "spool_error");
      throw new PushException(request.describe() + " could not be delivered nor spooled in "
          + spool.directory() + ": " + e.getMessage(), e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void record(PushRequest request, String outcome, String reason) {
    metrics.pushed(request.method(), outcome);
    metrics.failed(reason);
  }

  private byte[] serialise(MetricSnapshots snapshots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, snapshots);
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    transport.close();
  }
}
