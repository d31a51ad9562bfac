package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.promsuite.exporter.common.testing.LauncherCommand;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import io.promsuite.exporter.common.testing.TestCerts;
import io.promsuite.exporter.common.testing.WebAbuse;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web config of the real host-exporter process changes under it, as cert-manager or an admin
 * changes it: revoked passwords and renewed certificates take effect without a restart, a broken
 * change keeps the last good config; a key that does not match its certificate stops the start,
 * as node_exporter does on the same files; malformed requests are answered as node_exporter does.
 */
class WebConfigRotationTest {
  @TempDir
  Path dir;

  private List<String> ours(String... flags) throws Exception {
    return LauncherCommand.of(Path.of("."), HostExporter.class.getName(), flags);
  }

  private static String hash(String password) {
    return new String(BCrypt.withDefaults().hash(6, password.toCharArray()), StandardCharsets.UTF_8);
  }

  private TestCerts.Issued writeCert(String name) throws Exception {
    TestCerts.Issued cert = TestCerts.selfSigned(name, Duration.ofMinutes(5), Duration.ofDays(1), "localhost", "127.0.0.1");
    // Written beside and moved in place, as certbot and cert-manager do.
    cert.writeCert(dir.resolve("server.crt.new"));
    cert.writeKey(dir.resolve("server.key.new"), false);
    Files.move(dir.resolve("server.key.new"), dir.resolve("server.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Files.move(dir.resolve("server.crt.new"), dir.resolve("server.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return cert;
  }

  private Path writeWebConfig(String users) throws Exception {
    Path web = dir.resolve("web.yml");
    Files.writeString(dir.resolve("web.yml.new"), "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
        + "basic_auth_users:\n" + users);
    Files.move(dir.resolve("web.yml.new"), web, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return web;
  }

  private static BigInteger servedSerial(int port) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new javax.net.ssl.TrustManager[] {new io.promsuite.exporter.common.tls.TrustAll()}, null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  @Test
  void revokedPasswordAndRenewedCertificateTakeEffectWithinSecondsWithoutRestart() throws Exception {
    TestCerts.Issued first = writeCert("first");
    Path web = writeWebConfig("  alice: " + hash("wonderland") + "\n  bob: " + hash("builder") + "\n");
    int port = Ports.free();
    try (RealProcess p = RealProcess.start(ours("--web.config.file=" + web, "--web.listen-address=127.0.0.1:" + port),
        dir.resolve("ours.log"))) {
      p.awaitListening(port, Duration.ofSeconds(30));
      WebAbuse alice = new WebAbuse(new WebAbuse.Target("127.0.0.1", port, true, "alice", "wonderland", p.pid()), Duration.ZERO);
      WebAbuse bob = new WebAbuse(new WebAbuse.Target("127.0.0.1", port, true, "bob", "builder", p.pid()), Duration.ZERO);
      assertEquals(200, alice.request("/metrics", Duration.ofSeconds(10)).status());
      assertEquals(first.cert().getSerialNumber(), servedSerial(port));

      writeWebConfig("  bob: " + hash("builder") + "\n");
      Poll.until(Duration.ofSeconds(5), "alice's password revoked without a restart (401)",
          () -> alice.request("/metrics", Duration.ofSeconds(5)).status(), s -> s == 401);
      assertEquals(200, bob.request("/metrics", Duration.ofSeconds(5)).status());

      TestCerts.Issued renewed = writeCert("renewed");
      Poll.until(Duration.ofSeconds(5), "renewed certificate served without a restart",
          () -> servedSerial(port), s -> s.equals(renewed.cert().getSerialNumber()));
      assertTrue(scrapeBody(port, "bob", "builder").contains("\nnode_web_config_last_reload_successful 1"));

      // A broken change: the last good config stays, the failure is logged once and shows in the metric.
      Files.writeString(web, "basic_auth_users:\n  bob: notahash\n");
      Poll.until(Duration.ofSeconds(5), "the failed reload logged", p::output, o -> o.contains("web config reload failed"));
      assertEquals(200, bob.request("/metrics", Duration.ofSeconds(5)).status(), "last good config kept");
      assertEquals(renewed.cert().getSerialNumber(), servedSerial(port));
      Poll.holds(Duration.ofMillis(2500), "the failed reload logged once per change, not once per check",
          () -> assertEquals(1, p.output().lines().filter(l -> l.contains("web config reload failed")).count(), p.output()));
      assertTrue(p.output().contains("not a bcrypt hash"), p.output());
      String body = scrapeBody(port, "bob", "builder");
      assertTrue(body.contains("\nnode_web_config_last_reload_successful 0"), body);
      assertTrue(p.process().isAlive());
    }
  }

  private static String scrapeBody(int port, String user, String password) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new javax.net.ssl.TrustManager[] {new io.promsuite.exporter.common.tls.TrustAll()}, null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10000);
      s.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
          + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes()) + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void keyThatDoesNotMatchItsCertificateStopsTheStartLikeNodeExporter() throws Exception {
    TestCerts.Issued a = TestCerts.selfSigned("a", Duration.ofMinutes(5), Duration.ofDays(1), "localhost");
    TestCerts.Issued b = TestCerts.selfSigned("b", Duration.ofMinutes(5), Duration.ofDays(1), "localhost");
    a.writeCert(dir.resolve("server.crt"));
    b.writeKey(dir.resolve("server.key"), false);
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n");
    int port = Ports.free();

    Process p = new ProcessBuilder(ours("--web.config.file=" + web, "--web.listen-address=127.0.0.1:" + port))
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, p.exitValue(), out);
    String error = out.lines().filter(l -> l.startsWith("host-exporter: error:")).findFirst().orElse(out);
    assertEquals("host-exporter: error: " + web + ": tls_server_config: " + dir.resolve("server.key")
        + ": private key does not match public key of " + dir.resolve("server.crt"), error);
    assertFalse(out.contains("Exception"), out);

    Path bin = RealParts.require("/usr/bin/prometheus-node-exporter");
    Process theirs = new ProcessBuilder(bin.toString(), "--web.config.file=" + web,
        "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).start();
    assertTrue(theirs.waitFor(30, TimeUnit.SECONDS));
    String theirOut = new String(theirs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(1, theirs.exitValue(), theirOut);
    assertTrue(theirOut.contains("private key does not match public key"), theirOut);
  }

  @Test
  void malformedRequestsAreAnsweredAsNodeExporterAnswersThem() throws Exception {
    Path bin = RealParts.require("/usr/bin/prometheus-node-exporter");
    int theirPort = Ports.free();
    int ourPort = Ports.free();
    List<String> requests = List.of(
        "GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n",          // HTTP/1.1 without Host
        "GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n",                    // unknown version
        "GET /-/healthy HTTP/1.0\r\n\r\n");                            // HTTP/1.0 needs no Host
    try (RealProcess theirs = RealProcess.start(List.of(bin.toString(), "--web.listen-address=127.0.0.1:" + theirPort,
            "--collector.disable-defaults", "--collector.loadavg"), dir.resolve("ne.log"));
        RealProcess ours = RealProcess.start(ours("--web.listen-address=127.0.0.1:" + ourPort), dir.resolve("ours.log"))) {
      theirs.awaitListening(theirPort, Duration.ofSeconds(20));
      ours.awaitListening(ourPort, Duration.ofSeconds(30));
      WebAbuse node = new WebAbuse(new WebAbuse.Target("127.0.0.1", theirPort, false, null, null, 0), Duration.ZERO);
      WebAbuse us = new WebAbuse(new WebAbuse.Target("127.0.0.1", ourPort, false, null, null, 0), Duration.ZERO);
      List<Integer> expected = new ArrayList<>();
      List<Integer> actual = new ArrayList<>();
      for (String r : requests) {
        // The whole answer is read to EOF within the timeout: the connection is closed after it.
        expected.add(node.raw(r, Duration.ofSeconds(5)).status());
        actual.add(us.raw(r, Duration.ofSeconds(5)).status());
      }
      assertEquals(List.of(400, 505, 200), expected, "node_exporter's answers");
      assertEquals(expected, actual);
    }
  }
}
