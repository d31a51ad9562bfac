package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.ExporterUnderTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code proxy_url} through a real HTTP proxy (Debian's tinyproxy): plain requests and CONNECT for https. */
class HttpProxyTest {
  static TestServers servers;
  static RealProcess proxy;
  static Path dir;
  static ExporterUnderTest exporter;

  @BeforeAll
  static void start() throws Exception {
    Path tinyproxy = RealParts.require("tinyproxy");
    servers = TestServers.get();
    dir = Files.createTempDirectory("tinyproxy");
    int port = Ports.free();
    Path conf = Files.writeString(dir.resolve("tinyproxy.conf"), """
        Port %d
        Listen 127.0.0.1
        Timeout 30
        Allow 127.0.0.1
        MaxClients 32
        LogLevel Info
        PidFile "%s"
        """.formatted(port, dir.resolve("tinyproxy.pid")));
    // -d: foreground, logging to the captured output.
    proxy = RealProcess.start(List.of(tinyproxy.toString(), "-d", "-c", conf.toString()), dir.resolve("tinyproxy.log"));
    proxy.awaitListening(port, Duration.ofSeconds(30));
    int closed = Ports.free();
    exporter = new ExporterUnderTest("""
        modules:
          via_proxy:
            prober: http
            http:
              proxy_url: http://127.0.0.1:%1$d
              tls_config: {ca_file: %3$s}
          via_dead_proxy:
            prober: http
            timeout: 3s
            http:
              proxy_url: http://127.0.0.1:%2$d
        """.formatted(port, closed, servers.certs.caFile));
  }

  @AfterAll
  static void stop() throws Exception {
    if (exporter != null) {
      exporter.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void plainHttpTargetIsFetchedThroughTheProxy() throws Exception {
    String target = servers.url("/?through=proxy-plain");
    Exposition e = exporter.probe("via_proxy", target);
    assertEquals(1, value(e, "probe_success"), exporter.why("via_proxy", target));
    assertEquals(200, value(e, "probe_http_status_code"));
    awaitInProxyLog("through=proxy-plain");
  }

  @Test
  void httpsTargetIsTunnelledWithConnectAndItsCertificateStillChecked() throws Exception {
    String target = TestServers.url(servers.httpsValid, "/");
    Exposition e = exporter.probe("via_proxy", target);
    assertEquals(1, value(e, "probe_success"), exporter.why("via_proxy", target));
    assertEquals(1, value(e, "probe_http_ssl"));
    awaitInProxyLog("CONNECT");
    // The proxy only tunnels: a certificate for another name still fails the probe.
    assertEquals(0, value(exporter.probe("via_proxy", TestServers.url(servers.httpsWrongHost, "/")), "probe_success"));
  }

  @Test
  void unreachableProxyFailsTheProbe() throws Exception {
    Exposition e = exporter.probe("via_dead_proxy", servers.url("/"));
    assertEquals(0, value(e, "probe_success"));
    assertTrue(exporter.debug("via_dead_proxy", servers.url("/")).contains("Probe failed"));
  }

  private static void awaitInProxyLog(String text) {
    proxy.awaitOutput(text, Duration.ofSeconds(10));
  }
}
