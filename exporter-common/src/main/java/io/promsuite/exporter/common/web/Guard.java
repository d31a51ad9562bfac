package io.promsuite.exporter.common.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.promsuite.exporter.common.log.Logging;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What every request passes before its route, as Go's net/http and exporter-toolkit check it: plain
 * HTTP on the TLS port, the protocol version, a URL the handlers can read, then the live web
 * config's basic auth and headers. Then the route (the longest path prefix, on a '/' boundary, as
 * the JDK server chose it) gets the request as an {@link HttpExchange}, on its own virtual thread.
 */
final class Guard extends Handler.Abstract {
  private static final Logger LOG = Logger.getLogger(Guard.class.getName());

  private final LiveWebConfig web;
  private final boolean tls;
  /** Longest path first. */
  private final List<Route> routes;
  private final java.util.concurrent.atomic.AtomicReference<java.util.function.BiConsumer<java.net.URI, String>> firstRequest;

  Guard(LiveWebConfig web, boolean tls, Map<String, HttpHandler> routes,
      java.util.function.BiConsumer<java.net.URI, String> firstRequest) {
    super(InvocationType.BLOCKING);
    this.web = web;
    this.tls = tls;
    this.firstRequest = new java.util.concurrent.atomic.AtomicReference<>(firstRequest);
    this.routes = routes.entrySet().stream().map(e -> new Route(e.getKey(), e.getValue()))
        .sorted(Comparator.comparingInt((Route r) -> r.getPath().length()).reversed()).toList();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    if (tls && !request.isSecure()) {
      // Go's answer to plain HTTP on a TLS listener.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      return plain(response, callback, 400, "Client sent an HTTP request to an HTTPS server.\n");
    }
    HttpVersion version = request.getConnectionMetaData().getHttpVersion();
    if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
      return plain(response, callback, 505, "505 HTTP Version Not Supported: unsupported protocol version\n");
    }
    java.net.URI target;
    try {
      // What HttpExchange.getRequestURI() will be: a bad %-escape in the query passes Jetty's parser
      // but not java.net.URI.
      target = Exchanges.target(request);
    } catch (java.net.URISyntaxException e) {
      return plain(response, callback, 400, "400 Bad Request: malformed URL escape in the request target\n");
    }
    if (firstRequest.get() != null) {
      java.util.function.BiConsumer<java.net.URI, String> first = firstRequest.getAndSet(null);
      if (first != null) {
        first.accept(target, request.getHeaders().get(io.promsuite.exporter.common.collect.CollectorRegistry.TIMEOUT_HEADER));
      }
    }
    LiveWebConfig.Active active = web.active();
    active.config().headers().forEach((k, v) -> response.getHeaders().put(k, v));
    if (active.auth().enabled() && !active.auth().check(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic");
      return plain(response, callback, 401, "Unauthorized\n");
    }
    Route route = route(Request.getPathInContext(request));
    if (route == null) {
      return plain(response, callback, 404, "404 page not found\n");
    }
    try {
      HttpExchange ex = Exchanges.of(route, request, response, target);
      route.getHandler().handle(ex);
      ex.close();
      callback.succeeded();
    } catch (Throwable t) {
      if (LOG.isLoggable(Level.FINE)) {
        Logging.log(LOG, Level.FINE, "request failed", "path", route.getPath(), "err", String.valueOf(t.getMessage()));
      }
      if (!response.isCommitted()) {
        Response.writeError(request, response, callback, 500);
      } else {
        callback.failed(t);
      }
    }
    return true;
  }

  private Route route(String path) {
    for (Route r : routes) {
      String p = r.getPath();
      if (path.startsWith(p) && (p.endsWith("/") || path.length() == p.length() || path.charAt(p.length()) == '/')) {
        return r;
      }
    }
    return null;
  }

  private static boolean plain(Response response, Callback callback, int status, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
