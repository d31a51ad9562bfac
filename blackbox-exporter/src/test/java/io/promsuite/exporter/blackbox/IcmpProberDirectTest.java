package io.promsuite.exporter.blackbox;

import static io.promsuite.exporter.blackbox.DirectProbe.LOOPBACK_V4_HASH;
import static io.promsuite.exporter.blackbox.DirectProbe.OPEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.blackbox.prober.IcmpProber;
import io.promsuite.exporter.blackbox.prober.Resolver;
import io.promsuite.exporter.common.testing.RealParts;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** IcmpProber called directly (blackbox_exporter's prober/icmp_test.go): a real echo to loopback over a raw socket, as root. */
class IcmpProberDirectTest {
  final IcmpProber prober = new IcmpProber(OPEN);

  @BeforeEach
  void root() {
    if (!RealParts.isRoot()) {
      RealParts.missing("ICMP raw sockets need root here");
    }
  }

  @Test
  void echoToIpv4LoopbackWritesPhasesAndTheReplyTtl() throws Exception {
    DirectProbe p = DirectProbe.run(prober, "prober: icmp\ntimeout: 5s", "127.0.0.1").assertSuccess(true);
    assertEquals(Set.of("probe_dns_lookup_time_seconds", "probe_icmp_duration_seconds", "probe_icmp_reply_hop_limit",
        "probe_ip_addr_hash", "probe_ip_protocol"), p.families());
    assertEquals(64, p.value("probe_icmp_reply_hop_limit"), "Linux's default TTL, on the reply");
    assertEquals(4, p.value("probe_ip_protocol"));
    assertEquals(LOOPBACK_V4_HASH, p.value("probe_ip_addr_hash"));
    p.assertPhases("probe_icmp_duration_seconds", "resolve", "setup", "rtt");
    assertTrue(p.value("probe_icmp_duration_seconds", "phase", "rtt") > 0, "a round trip takes time");
    assertTrue(p.log().text().contains("msg=\"Found matching reply packet\""), p.log().text());
  }

  @Test
  void echoToIpv6Loopback() throws Exception {
    if (!Files.readString(Path.of("/proc/net/if_inet6")).contains("00000000000000000000000000000001")) {
      RealParts.missing("no IPv6 loopback on this machine");
    }
    String module = "prober: icmp\ntimeout: 5s\nicmp: {preferred_ip_protocol: ip6, ip_protocol_fallback: false}";
    DirectProbe p = DirectProbe.run(prober, module, "::1").assertSuccess(true);
    assertEquals(6, p.value("probe_ip_protocol"));
    assertEquals(64, p.value("probe_icmp_reply_hop_limit"), "Linux's default hop limit, on the reply");
    assertEquals(Resolver.ipHash(InetAddress.getByName("::1")), p.value("probe_ip_addr_hash"));
  }

  @Test
  void noAddressOfThePreferredFamilyWithoutFallbackSendsNothing() throws Exception {
    String module = "prober: icmp\ntimeout: 5s\nicmp: {preferred_ip_protocol: ip6, ip_protocol_fallback: false}";
    DirectProbe p = DirectProbe.run(prober, module, "127.0.0.1").assertSuccess(false);
    assertEquals(0, p.value("probe_ip_protocol"));
    assertEquals(Set.of("probe_dns_lookup_time_seconds", "probe_icmp_duration_seconds", "probe_ip_addr_hash",
        "probe_ip_protocol"), p.families());
    assertEquals(0, p.value("probe_icmp_duration_seconds", "phase", "rtt"));
    assertTrue(p.log().text().contains("err=\"unable to find ip; no fallback\""), p.log().text());
    assertTrue(!p.log().text().contains("Creating socket"), "no socket opened: " + p.log().text());
  }
}
