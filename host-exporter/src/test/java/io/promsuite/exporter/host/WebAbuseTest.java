package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.promsuite.exporter.common.testing.LauncherCommand;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealProcess;
import io.promsuite.exporter.common.testing.TestCerts;
import io.promsuite.exporter.common.testing.WebAbuse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real host-exporter, started as a process with the heap and JVM flags its launcher ships with,
 * abused from the attacker's side (issue 13): it must keep answering, close what it cannot afford
 * and stay within its heap plus a fixed margin, with its own log as evidence.
 */
class WebAbuseTest {
  static final int N = 1000;
  /**
   * Peak RSS allowed above -Xmx: the JVM itself (metaspace, code cache, class data, thread stacks,
   * malloc arenas): with -Xmx24m the peak was 45-56 MiB above the heap in plain HTTP and 71-75 MiB
   * with TLS and debug logging; with -Xmx128m it stays within 24 MiB of it. See
   * docs/exporter-common.md.
   */
  static final long MARGIN_KIB = 80 * 1024;

  @TempDir
  Path dir;

  private RealProcess start(int port, String... flags) throws Exception {
    List<String> cmd = LauncherCommand.of(Path.of("."), HostExporter.class.getName(), flags);
    cmd.add("--web.listen-address=127.0.0.1:" + port);
    RealProcess p = RealProcess.start(cmd, dir.resolve("host-exporter.log"));
    p.awaitListening(port, Duration.ofSeconds(30));
    return p;
  }

  private static long heapKib() throws Exception {
    return LauncherCommand.heapKib(LauncherCommand.of(Path.of("."), HostExporter.class.getName()));
  }

  private static void assertAnswering(WebAbuse.Round r) {
    assertTrue(r.after().ok(), "a normal scrape and /-/healthy answer 200 within 2 s after " + r.line());
  }

  /** As node_exporter: while the abusive connections are held, new clients are still served. */
  private static void assertAnsweringDuring(WebAbuse.Round r) {
    assertTrue(r.during().ok(), "a normal scrape and /-/healthy answer 200 within 2 s during " + r.line());
  }

  private static void assertHealthyProcess(RealProcess p, WebAbuse.Round... rounds) throws Exception {
    assertTrue(p.process().isAlive(), p.output());
    assertFalse(p.output().contains("OutOfMemoryError"), p.output());
    for (WebAbuse.Round r : rounds) {
      assertTrue(r.rssPeakKib() < heapKib() + MARGIN_KIB,
          "peak RSS " + r.rssPeakKib() + " KiB over heap " + heapKib() + " KiB + margin " + MARGIN_KIB + ": " + r.line());
    }
  }

  @Test
  void thousandConcurrentScrapesAndThousandHalfSentRequestsLeaveItAnswering() throws Exception {
    int port = Ports.free();
    try (RealProcess p = start(port, "--web.read-header-timeout=1s")) {
      WebAbuse abuse = new WebAbuse(new WebAbuse.Target("127.0.0.1", port, false, null, null, p.pid()),
          Duration.ofSeconds(4));
      WebAbuse.Round scrapes = abuse.concurrentScrapes(N, "/metrics");
      System.out.println(scrapes.line());
      // Past --web.max-requests a scrape gets 503, as from node_exporter. Nothing hangs.
      assertTrue(scrapes.answers().containsKey("200") && scrapes.answers().containsKey("503"), scrapes.line());
      assertTrue(scrapes.answers().keySet().stream().allMatch(a -> Set.of("200", "503").contains(a)
          || a.startsWith("SocketException: Connection reset") || a.startsWith("IOException: no HTTP answer")),
          "every scrape answered or refused at once: " + scrapes.line());
      assertEquals(N, scrapes.answers().values().stream().mapToInt(Integer::intValue).sum(), scrapes.line());
      assertAnswering(scrapes);

      WebAbuse.Round half = abuse.halfSentRequests(N);
      System.out.println(half.line());
      assertEquals(N, half.answers().get("sent"), half.line());
      assertAnswering(half);
      assertAnsweringDuring(half);
      assertEquals(N, half.closedByServer(), "every half-sent request closed by the 1 s header deadline: " + half.line());
      assertHealthyProcess(p, scrapes, half);
    }
  }

  @Test
  void thousandHalfSentTlsHandshakesLeaveItAnswering() throws Exception {
    Path web = tlsWebConfig("alice", "wonderland");
    int port = Ports.free();
    try (RealProcess p = start(port, "--web.config.file=" + web, "--web.read-header-timeout=1s", "--log.level=debug")) {
      WebAbuse abuse = new WebAbuse(new WebAbuse.Target("127.0.0.1", port, true, "alice", "wonderland", p.pid()),
          Duration.ofSeconds(4));
      WebAbuse.Round handshakes = abuse.halfSentHandshakes(N);
      System.out.println(handshakes.line());
      assertEquals(N, handshakes.answers().get("sent"), handshakes.line());
      assertAnswering(handshakes);
      assertAnsweringDuring(handshakes);
      assertEquals(N, handshakes.closedByServer(), "every half-sent handshake closed: " + handshakes.line());
      assertHealthyProcess(p, handshakes);
      assertTrue(p.output().contains("msg=\"TLS connection closed before a request was read\""),
          "failed handshakes are logged at debug: " + p.output().lines().limit(20).toList());
    }
  }

  private Path tlsWebConfig(String user, String password) throws Exception {
    TestCerts.Issued cert = TestCerts.selfSigned("localhost", Duration.ofMinutes(5), Duration.ofDays(1),
        "localhost", "127.0.0.1");
    cert.writeCert(dir.resolve("server.crt"));
    cert.writeKey(dir.resolve("server.key"), false);
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
        + "basic_auth_users:\n  " + user + ": "
        + new String(BCrypt.withDefaults().hash(6, password.toCharArray()), StandardCharsets.UTF_8) + "\n");
    return web;
  }
}
