package io.promsuite.exporter.blackbox.prober;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promsuite.exporter.common.config.http.HttpClientConfig;
import io.promsuite.exporter.common.config.http.OAuth2;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Access tokens of the OAuth 2.0 client-credentials grant, as Prometheus' common HTTP client gets
 * them (golang.org/x/oauth2/clientcredentials): the client authenticates with HTTP basic auth, and
 * when the server refuses that, with {@code client_id}/{@code client_secret} in the form; scopes
 * space-separated; {@code endpoint_params} added to the form. A token is reused until 10 s before
 * it expires, per oauth2 section (blackbox_exporter fetches one per probe).
 */
final class OAuth2Tokens {
  /** Made on the first token response: most configs have no oauth2 section. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private static final Duration EARLY = Duration.ofSeconds(10);

  private record Token(String value, long expiresAtNanos) {}

  private final Map<OAuth2, Token> tokens = new HashMap<>();
  private final Map<OAuth2, OkHttpClient> clients = new HashMap<>();

  /** A valid access token for {@code cfg}, fetched now if there is none; {@code timeout} bounds the fetch. */
  String token(OAuth2 cfg, Duration timeout) throws IOException {
    synchronized (this) {
      Token t = tokens.get(cfg);
      if (t != null && System.nanoTime() < t.expiresAtNanos()) {
        return t.value();
      }
    }
    Token fresh = fetch(cfg, timeout);
    synchronized (this) {
      tokens.put(cfg, fresh);
    }
    return fresh.value();
  }

  private Token fetch(OAuth2 cfg, Duration timeout) throws IOException {
    String secret = cfg.clientSecretFile().isEmpty() ? cfg.clientSecret().value()
        : HttpClientConfig.read(cfg.clientSecretFile(), "oauth2 client_secret_file");
    OkHttpClient client = client(cfg).newBuilder().callTimeout(timeout).build();
    IOException inHeader;
    try {
      return request(client, cfg, form(cfg, null, null), basic(cfg.clientId(), secret));
    } catch (IOException e) {
      inHeader = e;
    }
    try {
      return request(client, cfg, form(cfg, cfg.clientId(), secret), null);
    } catch (IOException e) {
      e.addSuppressed(inHeader);
      throw e;
    }
  }

  private static FormBody form(OAuth2 cfg, String clientId, String secret) {
    FormBody.Builder f = new FormBody.Builder().add("grant_type", "client_credentials");
    if (!cfg.scopes().isEmpty()) {
      f.add("scope", String.join(" ", cfg.scopes()));
    }
    cfg.endpointParams().forEach(f::add);
    if (clientId != null) {
      f.add("client_id", clientId).add("client_secret", secret);
    }
    return f.build();
  }

  private static String basic(String id, String secret) {
    // RFC 6749 2.3.1: both URL-encoded before the basic-auth encoding, as x/oauth2 does.
    String pair = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static Token request(OkHttpClient client, OAuth2 cfg, FormBody form, String authorization) throws IOException {
    Request.Builder r = new Request.Builder().url(cfg.tokenUrl()).post(form).header("Accept", "application/json");
    if (authorization != null) {
      r.header("Authorization", authorization);
    }
    try (Response resp = client.newCall(r.build()).execute()) {
      String body = resp.body() == null ? "" : resp.body().string();
      if (!resp.isSuccessful()) {
        throw new IOException("oauth2: cannot fetch token: " + resp.code() + " from " + cfg.tokenUrl() + ": "
            + body.substring(0, Math.min(body.length(), 200)));
      }
      JsonNode json;
      try {
        json = Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new IOException("oauth2: the token response of " + cfg.tokenUrl() + " is not JSON", e);
      }
      String token = json.path("access_token").asText("");
      if (token.isEmpty()) {
        throw new IOException("oauth2: server response missing access_token");
      }
      long expiresIn = json.path("expires_in").asLong(0);
      long expiresAt = expiresIn <= 0 ? Long.MAX_VALUE
          : System.nanoTime() + Duration.ofSeconds(expiresIn).minus(EARLY).toNanos();
      return new Token(token, expiresAt);
    }
  }

  /** The client for the token endpoint: its own tls_config and proxy_url. */
  private synchronized OkHttpClient client(OAuth2 cfg) throws IOException {
    OkHttpClient c = clients.get(cfg);
    if (c == null) {
      OkHttpClient.Builder b = new OkHttpClient.Builder().followRedirects(true).retryOnConnectionFailure(false);
      if (cfg.tokenUrl().startsWith("https:")) {
        try {
          TlsSupport.Client tls = TlsSupport.client(cfg.tlsConfig());
          b.sslSocketFactory(tls.context().getSocketFactory(), tls.trust());
          if (tls.insecure()) {
            b.hostnameVerifier((host, session) -> true);
          }
        } catch (GeneralSecurityException e) {
          throw new IOException("oauth2 tls_config: " + e.getMessage(), e);
        }
      } else {
        b.connectionSpecs(List.of(okhttp3.ConnectionSpec.CLEARTEXT));
      }
      b.proxy(HttpClients.proxy(cfg.proxyUrl()));
      c = b.build();
      clients.put(cfg, c);
    }
    return c;
  }
}
