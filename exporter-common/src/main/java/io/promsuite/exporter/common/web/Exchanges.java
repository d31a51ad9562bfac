package io.promsuite.exporter.common.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.spi.JettyHttpExchange;
import org.eclipse.jetty.http.spi.JettyHttpsExchange;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Jetty's HttpExchange bridge, with request headers as the JDK server gives them: one value per
 * header line, as sent (the bridge splits {@code Accept: a, b} into two values, and handlers that
 * read the first would see only {@code a}), made once per request.
 */
final class Exchanges {
  private Exchanges() {}

  static HttpExchange of(HttpContext route, Request request, Response response) {
    return request.isSecure() ? new Https(route, request, response) : new Http(route, request, response);
  }

  private static Headers headers(Request request) {
    Headers h = new Headers();
    for (HttpField f : request.getHeaders()) {
      if (f.getValue() != null) {
        h.add(f.getName(), f.getValue());
      }
    }
    return h;
  }

  private static final class Http extends JettyHttpExchange {
    private final Headers headers;

    Http(HttpContext route, Request request, Response response) {
      super(route, request, response);
      headers = headers(request);
    }

    @Override
    public Headers getRequestHeaders() {
      return headers;
    }
  }

  private static final class Https extends JettyHttpsExchange {
    private final Headers headers;

    Https(HttpContext route, Request request, Response response) {
      super(route, request, response);
      headers = headers(request);
    }

    @Override
    public Headers getRequestHeaders() {
      return headers;
    }
  }
}
