package io.promsuite.e2e.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.promsuite.exporter.common.web.WebServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code /admin/error-ratio} and {@code /admin/rate}: GET shows the current value, {@code POST
 * ?value=x} changes it, so a test or a person can inject an outage ({@code value=1}) and heal it
 * ({@code value=0}) while the gateway runs.
 */
final class AdminHandler implements HttpHandler {
  private final SyntheticTraffic traffic;

  AdminHandler(SyntheticTraffic traffic) {
    this.traffic = traffic;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    boolean ratio = path.equals("/admin/error-ratio");
    if (!ratio && !path.equals("/admin/rate")) {
      WebServer.respond(ex, 404, "unknown admin endpoint " + path + "; there are /admin/error-ratio and /admin/rate\n");
      return;
    }
    String what = ratio ? "error ratio" : "rate";
    switch (ex.getRequestMethod()) {
      case "GET" -> WebServer.respond(ex, 200, current(ratio) + "\n");
      case "POST", "PUT" -> {
        String raw = param(ex.getRequestURI().getRawQuery(), "value");
        if (raw == null) {
          WebServer.respond(ex, 400, "missing query parameter value, e.g. POST " + path + "?value=0.5\n");
          return;
        }
        double value;
        try {
          value = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          WebServer.respond(ex, 400, "query parameter value: '" + raw + "' is not a number\n");
          return;
        }
        try {
          if (ratio) {
            traffic.setErrorRatio(value);
          } else {
            traffic.setRate(value);
          }
        } catch (IllegalArgumentException e) {
          WebServer.respond(ex, 400, "query parameter value: " + e.getMessage() + "\n");
          return;
        }
        WebServer.respond(ex, 200, what + " set to " + current(ratio) + "\n");
      }
      default -> {
        ex.getResponseHeaders().set("Allow", "GET, POST");
        WebServer.respond(ex, 405, "use GET to read the " + what + " and POST ?value=x to change it\n");
      }
    }
  }

  private String current(boolean ratio) {
    return String.format(Locale.ROOT, "%s", ratio ? traffic.errorRatio() : traffic.rate());
  }

  static String param(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
