package io.promsuite.exporter.blackbox;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OAuth 2.0 side of {@link TestServers}: a client-credentials token endpoint (RFC 6749 4.4)
 * and a resource that wants its bearer token. {@code /oauth/token} takes the client's credentials
 * in HTTP basic auth or in the form; {@code /oauth/token-params} only in the form, refusing basic
 * auth as some servers do (clients must fall back, as golang.org/x/oauth2 does).
 */
final class OAuthServer {
  static final String CLIENT_ID = "probe-client";
  static final String CLIENT_SECRET = "s3cret/with:chars";
  static final AtomicInteger TOKENS_ISSUED = new AtomicInteger();
  static volatile Map<String, String> lastTokenForm = Map.of();

  private OAuthServer() {}

  /** Handles the /oauth/ paths; false for any other path. */
  static boolean handle(HttpExchange ex, String path, byte[] body) throws IOException {
    switch (path) {
      case "/oauth/token", "/oauth/token-params" -> token(ex, body, path.endsWith("-params"));
      case "/oauth/protected" -> {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.startsWith("Bearer tok-")) {
          send(ex, 200, "protected ok\n");
        } else {
          send(ex, 401, "{\"error\":\"no token\"}");
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private static void token(HttpExchange ex, byte[] body, boolean paramsOnly) throws IOException {
    Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
    lastTokenForm = form;
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    boolean ok;
    if (auth != null) {
      ok = !paramsOnly && auth.equals("Basic " + Base64.getEncoder().encodeToString(
          (enc(CLIENT_ID) + ":" + enc(CLIENT_SECRET)).getBytes(StandardCharsets.UTF_8)));
    } else {
      ok = CLIENT_ID.equals(form.get("client_id")) && CLIENT_SECRET.equals(form.get("client_secret"));
    }
    if (!ok || !"client_credentials".equals(form.get("grant_type"))) {
      send(ex, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    int n = TOKENS_ISSUED.incrementAndGet();
    ex.getResponseHeaders().set("Content-Type", "application/json");
    send(ex, 200, "{\"access_token\":\"tok-" + n + "\",\"token_type\":\"bearer\",\"expires_in\":3600}");
  }

  private static String enc(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : body.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }
}
