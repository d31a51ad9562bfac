package io.promsuite.exporter.common.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.concurrent.Semaphore;

/**
 * node_exporter's {@code --web.max-requests} (promhttp's MaxRequestsInFlight): past the limit a
 * request is answered 503 at once instead of queueing scrapes that all compete for memory.
 */
public final class InFlightLimit implements HttpHandler {
  private final HttpHandler handler;
  private final int max;
  private final Semaphore permits;

  /** @param max requests served at once; 0 means no limit */
  public InFlightLimit(HttpHandler handler, int max) {
    if (max < 0) {
      throw new IllegalArgumentException("must be 0 (no limit) or more, got " + max);
    }
    this.handler = handler;
    this.max = max;
    this.permits = max == 0 ? null : new Semaphore(max);
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    if (permits == null) {
      handler.handle(ex);
      return;
    }
    if (!permits.tryAcquire()) {
      WebServer.respond(ex, 503, "Limit of concurrent requests reached (" + max + "), try again later.\n");
      return;
    }
    try {
      handler.handle(ex);
    } finally {
      permits.release();
    }
  }
}
