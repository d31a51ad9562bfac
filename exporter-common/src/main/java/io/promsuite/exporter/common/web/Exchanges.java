package io.promsuite.exporter.common.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * A Jetty request and response seen through the JDK's {@link HttpExchange} API, which client_java's
 * exporter-httpserver handlers and ours are written against, with the JDK server's meaning:
 * request headers one value per header line as sent, {@code getRequestURI()} the request target
 * as sent, {@code sendResponseHeaders(code, 0)} a body of any length, {@code -1} none.
 * (Jetty's own bridge, jetty-http-spi, also registers itself as the JVM's HttpServer provider,
 * which would replace every {@code HttpServer.create} in the process; so it is not used.)
 */
final class Exchanges {
  private Exchanges() {}

  /**
   * The request target as a URI, as the JDK server makes it; throws for one it would refuse (a bad
   * %-escape, which Jetty's parser lets through in the query).
   */
  static URI target(Request request) throws URISyntaxException {
    return new URI(request.getHttpURI().getPathQuery());
  }

  /** {@code target}: the request's {@link #target}, already made by the caller. */
  static HttpExchange of(HttpContext route, Request request, Response response, URI target) {
    return new Exchange(route, request, response, target);
  }

  private static final class Exchange extends HttpExchange {
    private final HttpContext route;
    private final Request request;
    private final Response response;
    private final URI target;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private InputStream in;
    private OutputStream out;
    private int status = -1;
    private HttpPrincipal principal;

    Exchange(HttpContext route, Request request, Response response, URI target) {
      this.route = route;
      this.request = request;
      this.response = response;
      this.target = target;
      for (HttpField f : request.getHeaders()) {
        if (f.getValue() != null) {
          requestHeaders.add(f.getName(), f.getValue());
        }
      }
      in = Content.Source.asInputStream(request);
      out = Content.Sink.asOutputStream(response);
    }

    @Override
    public Headers getRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return target;
    }

    @Override
    public String getRequestMethod() {
      return request.getMethod();
    }

    @Override
    public HttpContext getHttpContext() {
      return route;
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException ignored) {
        // the request body is not needed any more
      }
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public InputStream getRequestBody() {
      return in;
    }

    @Override
    public OutputStream getResponseBody() {
      return out;
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
      if (status != -1) {
        throw new IOException("headers already sent");
      }
      status = code;
      response.setStatus(code);
      for (Map.Entry<String, List<String>> h : responseHeaders.entrySet()) {
        for (String v : h.getValue()) {
          response.getHeaders().add(h.getKey(), v);
        }
      }
      if (length > 0) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
      } else if (length < 0) {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
      }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public int getResponseCode() {
      return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return request.getConnectionMetaData().getLocalSocketAddress() instanceof InetSocketAddress a ? a : null;
    }

    @Override
    public String getProtocol() {
      return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
      return request.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      request.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
      if (i != null) {
        in = i;
      }
      if (o != null) {
        out = o;
      }
    }

    @Override
    public HttpPrincipal getPrincipal() {
      return principal;
    }
  }
}
