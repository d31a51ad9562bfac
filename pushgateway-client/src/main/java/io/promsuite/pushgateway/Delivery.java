package io.promsuite.pushgateway;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;

/**
 * Gets requests to the gateway: sent with retries, or, with a spool, kept on disk behind whatever
 * is spooled already and re-sent in order.
 */
final class Delivery {

  private final RetryingSender sender;
  private final Spool spool;
  private final PushGatewayClientMetrics metrics;

  Delivery(RetryingSender sender, Spool spool, PushGatewayClientMetrics metrics) {
    this.sender = sender;
    this.spool = spool;
    this.metrics = metrics;
  }

  Spool spool() {
    return spool;
  }

  FlushResult flush() throws PushException {
    if (spool == null) {
      throw new IllegalStateException("flush needs a spool: configure one with PushGateway.Builder.spool(dir)");
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

  PushResult submit(PushRequest request) throws PushException {
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
          } catch (ClosedByInterruptException e) {
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
}
