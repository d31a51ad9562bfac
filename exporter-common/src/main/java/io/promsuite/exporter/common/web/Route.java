package io.promsuite.exporter.common.web;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One path and its handler, as the {@link HttpContext} an exchange reports. */
final class Route extends HttpContext {
  private final String path;
  private HttpHandler handler;
  private final Map<String, Object> attributes = new HashMap<>();

  Route(String path, HttpHandler handler) {
    this.path = path;
    this.handler = handler;
  }

  @Override
  public HttpHandler getHandler() {
    return handler;
  }

  @Override
  public void setHandler(HttpHandler handler) {
    this.handler = handler;
  }

  @Override
  public String getPath() {
    return path;
  }

  /** There is no JDK server beneath: none. */
  @Override
  public HttpServer getServer() {
    return null;
  }

  @Override
  public Map<String, Object> getAttributes() {
    return attributes;
  }

  /** Filters are not run: the checks every route shares are in {@link Guard}. */
  @Override
  public List<Filter> getFilters() {
    return List.of();
  }

  @Override
  public Authenticator setAuthenticator(Authenticator auth) {
    throw new UnsupportedOperationException("basic auth comes from the web config");
  }

  @Override
  public Authenticator getAuthenticator() {
    return null;
  }
}
