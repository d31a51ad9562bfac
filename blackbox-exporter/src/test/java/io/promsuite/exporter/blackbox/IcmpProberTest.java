package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.ExporterUnderTest.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.RealParts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The icmp prober's real echo to the loopback addresses (a raw socket, as root), a datagram ping
 * socket in a network namespace with ping_group_range widened, and the error without permission.
 */
class IcmpProberTest {
  static ExporterUnderTest exporter;

  @BeforeAll
  static void start() throws Exception {
    exporter = new ExporterUnderTest("""
        modules:
          icmp:
            prober: icmp
            timeout: 5s
          icmp_v4:
            prober: icmp
            timeout: 5s
            icmp: {preferred_ip_protocol: ip4, ip_protocol_fallback: false, payload_size: 200, dont_fragment: true}
          icmp_ttl5:
            prober: icmp
            timeout: 5s
            icmp: {ttl: 5}
          icmp_v6:
            prober: icmp
            timeout: 5s
            icmp: {preferred_ip_protocol: ip6, ip_protocol_fallback: false}
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    exporter.close();
  }

  @Test
  void echoToLoopbackSucceedsWithHopLimitAndPhases() throws Exception {
    if (!RealParts.isRoot()) {
      RealParts.missing("ICMP raw sockets need root here");
    }
    Exposition e = exporter.probe("icmp", "127.0.0.1");
    assertEquals(1, value(e, "probe_success"), exporter.why("icmp", "127.0.0.1"));
    assertEquals(64, value(e, "probe_icmp_reply_hop_limit"));
    assertEquals(4, value(e, "probe_ip_protocol"));
    for (String phase : new String[] {"resolve", "setup", "rtt"}) {
      assertTrue(e.value("probe_icmp_duration_seconds", Map.of("phase", phase)) >= 0, phase);
    }
    assertTrue(e.value("probe_icmp_duration_seconds", Map.of("phase", "rtt")) > 0);
  }

  @Test
  void payloadSizeAndDontFragmentAndTtlAreAccepted() throws Exception {
    if (!RealParts.isRoot()) {
      RealParts.missing("ICMP raw sockets need root here");
    }
    assertEquals(1, value(exporter.probe("icmp_v4", "localhost"), "probe_success"), exporter.why("icmp_v4", "localhost"));
    assertEquals(1, value(exporter.probe("icmp_ttl5", "127.0.0.1"), "probe_success"));
  }

  @Test
  void echoToIpv6Loopback() throws Exception {
    if (!RealParts.isRoot()) {
      RealParts.missing("ICMP raw sockets need root here");
    }
    if (!Files.readString(Path.of("/proc/net/if_inet6")).contains("00000000000000000000000000000001")) {
      RealParts.missing("no IPv6 loopback on this machine");
    }
    Exposition e = exporter.probe("icmp_v6", "::1");
    assertEquals(1, value(e, "probe_success"), exporter.why("icmp_v6", "::1"));
    assertEquals(6, value(e, "probe_ip_protocol"));
    assertEquals(64, value(e, "probe_icmp_reply_hop_limit"));
  }

  @Test
  void withoutPermissionTheErrorNamesWhatToGrant() throws Exception {
    String out = runProbe(List.of(RealParts.require("setpriv").toString(), "--inh-caps=-net_raw",
        "--bounding-set=-net_raw", "--"));
    assertTrue(out.contains("success=false"), out);
    assertTrue(out.contains("CAP_NET_RAW") && out.contains("net.ipv4.ping_group_range"), out);
  }

  @Test
  void datagramPingSocketWorksWhenPingGroupRangeAllowsIt() throws Exception {
    // Only inside a network namespace of our own: the machine's ping_group_range stays untouched.
    String unshare = RealParts.require("unshare").toString();
    String setpriv = RealParts.require("setpriv").toString();
    String ip = RealParts.require("ip").toString();
    String sysctl = RealParts.require("sysctl").toString();
    List<String> java = javaCommand();
    String script = ip + " link set lo up && " + sysctl + " -q -w net.ipv4.ping_group_range='0 2147483647' && exec " + setpriv
        + " --inh-caps=-net_raw --bounding-set=-net_raw -- " + String.join(" ", java.stream().map(s -> "'" + s + "'").toList());
    String out = run(List.of(unshare, "--net", "--", "sh", "-c", script));
    assertTrue(out.contains("success=true"), out);
    assertTrue(out.contains("Unable to do unprivileged listen") == false, "used the datagram socket:\n" + out);
  }

  private static List<String> javaCommand() {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), IcmpProbeMain.class.getName(), "127.0.0.1");
  }

  private static String runProbe(List<String> prefix) throws Exception {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(javaCommand());
    return run(cmd);
  }

  private static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        throw new AssertionError("probe process did not finish: " + cmd);
      }
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
    }
  }
}
