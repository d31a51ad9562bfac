package io.promsuite.packaging;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.promsuite.exporter.common.testing.RealParts;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An exporter-toolkit web config with TLS (a certificate for 127.0.0.1 made here with openssl) and
 * one bcrypt basic-auth user, and an HTTPS client that trusts exactly that certificate.
 */
final class TlsAuth {
  static final String USER = "prometheus";
  static final String PASSWORD = "s3cret scrape";

  /** The directory holding web-config.yml, server.crt and server.key. */
  final Path dir;
  final Path webConfig;
  private final HttpClient https;

  private TlsAuth(Path dir, Path webConfig, HttpClient https) {
    this.dir = dir;
    this.webConfig = webConfig;
    this.https = https;
  }

  static TlsAuth create(Path dir) throws Exception {
    RealParts.require("openssl");
    Run.of(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "server.key", "-out", "server.crt", "-days", "2", "-subj", "/CN=promsuite-test",
        "-addext", "subjectAltName=IP:127.0.0.1").assertSuccess();
    String hash = BCrypt.withDefaults().hashToString(10, PASSWORD.toCharArray());
    Path webConfig = dir.resolve("web-config.yml");
    Files.writeString(webConfig, """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
        basic_auth_users:
          %s: %s
        """.formatted(USER, hash));
    // Readable by the images' user (65534) when mounted into a container.
    for (String file : new String[] {"server.crt", "server.key", "web-config.yml"}) {
      dir.resolve(file).toFile().setReadable(true, false);
    }
    dir.toFile().setExecutable(true, false);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream pem = Files.newInputStream(dir.resolve("server.crt"))) {
      trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return new TlsAuth(dir, webConfig,
        HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build());
  }

  /** GET over HTTPS as the configured user. */
  Http.Response get(String url) {
    return get(url, USER, PASSWORD);
  }

  /** GET over HTTPS with these credentials, or none when {@code user} is null; -1 when refused. */
  Http.Response get(String url, String user, String password) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
    if (user != null) {
      request.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    try {
      HttpResponse<String> response = https.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Http.Response(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Http.Response(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The checks every secured exporter must pass: the families to the user, 401 to everyone else. */
  void assertServesOnlyTheUser(ShippedExporter exporter, String base) {
    ExporterChecks.assertServes(exporter, base, this::get);
    org.junit.jupiter.api.Assertions.assertEquals(401, get(base + "/metrics", null, null).status(), "no credentials");
    org.junit.jupiter.api.Assertions.assertEquals(401, get(base + "/metrics", USER, "wrong").status(), "wrong password");
    org.junit.jupiter.api.Assertions.assertEquals(401, get(base + "/metrics", "nobody", PASSWORD).status(), "unknown user");
    org.junit.jupiter.api.Assertions.assertNotEquals(200, Http.get(base.replace("https:", "http:") + "/metrics").status(),
        "plain HTTP on the TLS port");
  }
}
