package io.promsuite.exporter.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.blackbox.config.BlackboxConfig;
import io.promsuite.exporter.blackbox.config.Module;
import io.promsuite.exporter.common.config.ConfigException;
import io.promsuite.exporter.common.testing.RealParts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** blackbox.yml loading: Debian's example, defaults, and errors naming file, line and field. */
class ConfigTest {
  static final Path FILE = Path.of("blackbox.yml");

  @Test
  void debianExampleLoadsWithBlackboxDefaults() throws Exception {
    BlackboxConfig c = BlackboxConfig.load(Path.of("src/test/resources/debian-blackbox.yml"));
    assertEquals(List.of("grpc", "grpc_plain", "http_2xx", "http_post_2xx", "icmp", "icmp_ttl5", "irc_banner",
        "pop3s_banner", "ssh_banner", "tcp_connect"), List.copyOf(c.modules().keySet()));
    Module http = c.modules().get("http_2xx");
    assertEquals("GET", http.http().method());
    assertEquals("ip6", http.http().preferredIpProtocol());
    assertTrue(http.http().ipProtocolFallback());
    assertTrue(http.http().client().followRedirects());
    assertEquals(Duration.ZERO, http.timeout());
    assertEquals("POST", c.modules().get("http_post_2xx").http().method());
    assertEquals(5, c.modules().get("icmp_ttl5").icmp().ttl());
    assertEquals(64, c.modules().get("icmp").icmp().ttl());
    assertEquals(Duration.ofSeconds(5), c.modules().get("icmp_ttl5").timeout());
    var irc = c.modules().get("irc_banner").tcp().queryResponse();
    assertEquals("PING :([^ ]+)", irc.get(2).expect().pattern());
    assertEquals("PONG ${1}", irc.get(2).send());
    assertTrue(c.modules().get("pop3s_banner").tcp().tls());
    assertEquals("service1", c.modules().get("grpc_plain").grpc().service());
  }

  @Test
  void installedDebianConfigLoads() throws Exception {
    Path installed = Path.of("/etc/prometheus/blackbox.yml");
    if (!Files.exists(installed)) {
      RealParts.missing("prometheus-blackbox-exporter's /etc/prometheus/blackbox.yml is not installed");
    }
    assertEquals(10, BlackboxConfig.load(installed).modules().size());
  }

  @Test
  void packagingReferenceConfigLoads() throws Exception {
    BlackboxConfig c = BlackboxConfig.load(Path.of("../packaging/blackbox/blackbox.yml"));
    assertEquals(List.of("dns", "http_2xx", "icmp", "tcp_connect"), List.copyOf(c.modules().keySet()));
    assertEquals("A", c.modules().get("dns").dns().queryType());
    assertEquals(Duration.ofSeconds(5), c.modules().get("icmp").timeout());
  }

  @Test
  void invalidRegexpIsRejectedAtLoadWithLineAndField() {
    ConfigException e = assertThrows(ConfigException.class, () -> BlackboxConfig.parse(FILE, """
        modules:
          bad:
            prober: http
            http:
              fail_if_body_matches_regexp:
                - "ok"
                - "(unclosed"
        """));
    assertEquals(7, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith("blackbox.yml:7:"), e.getMessage());
    assertTrue(e.getMessage().contains("modules.bad.http.fail_if_body_matches_regexp[1]"), e.getMessage());
    assertTrue(e.getMessage().contains("(unclosed"), e.getMessage());
  }

  @Test
  void unknownKeyNamesFieldAndAcceptedKeys() {
    ConfigException e = assertThrows(ConfigException.class, () -> BlackboxConfig.parse(FILE, """
        modules:
          m:
            prober: tcp
            tcp:
              query_respons: []
        """));
    // exporter-common reports the key's line, or (records buffer their properties) the line after the mapping.
    assertTrue(e.line() == 5 || e.line() == 6, e.getMessage());
    assertTrue(e.getMessage().contains("field \"modules.m.tcp.query_respons\""), e.getMessage());
    assertTrue(e.getMessage().contains("unknown field \"query_respons\""), e.getMessage());
    assertTrue(e.getMessage().contains("query_response"), e.getMessage());
  }

  @Test
  void semanticErrorsAreRejectedWithTheModule() {
    assertProblem("modules:\n  m:\n    prober: ftp\n", "unknown prober 'ftp'");
    assertProblem("modules:\n  m:\n    prober: dns\n    dns:\n      query_type: A\n", "query name must be set");
    assertProblem("modules:\n  m:\n    prober: dns\n    dns: {query_name: x, query_type: NOPE}\n", "query type 'NOPE' is not valid");
    assertProblem("modules:\n  m:\n    prober: icmp\n    icmp: {ttl: 300}\n", "\"ttl\" cannot exceed 255");
    assertProblem("modules:\n  m:\n    prober: http\n    http: {preferred_ip_protocol: ip5}\n", "preferred_ip_protocol must be ip4 or ip6");
    assertProblem("modules:\n  m:\n    prober: http\n    timeout: 5 seconds\n", "duration");
    assertProblem("modules:\n  m:\n    prober: http\n    http: {tls_config: {min_version: TLS14}}\n", "unknown TLS version");
    assertProblem("modules:\n  m:\n    prober: http\n    http: {basic_auth: {username: a}, bearer_token: b}\n", "at most one of");
  }

  private static void assertProblem(String yaml, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> BlackboxConfig.parse(FILE, yaml));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains("modules.m"), e.getMessage());
    assertTrue(e.line() > 0, e.getMessage());
  }

  @Test
  void fileWithoutModulesIsRefused() {
    assertThrows(ConfigException.class, () -> BlackboxConfig.parse(FILE, "# only a comment\n"));
    for (String yaml : new String[] {"", "\n  \n", "modules:\n", "modules: {}\n"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> BlackboxConfig.parse(FILE, yaml), yaml);
      assertEquals("blackbox.yml: no modules configured (expected 'modules:' with at least one module, "
          + "e.g. 'modules: {http_2xx: {prober: http}}')", e.getMessage());
    }
  }

  @Test
  void emptiedFileIsRefusedAtStartAndOnReloadKeepingTheModules() throws Exception {
    assertThrows(ConfigException.class, () -> new ExporterUnderTest("").close());
    try (ExporterUnderTest exporter = new ExporterUnderTest("modules:\n  tcp_connect:\n    prober: tcp\n")) {
      Files.writeString(exporter.config, "");
      var reload = io.promsuite.exporter.common.testing.Http.post(exporter.base() + "/-/reload", "");
      assertEquals(500, reload.statusCode(), reload.body());
      assertTrue(reload.body().contains("no modules configured"), reload.body());
      String metrics = io.promsuite.exporter.common.testing.Http.get(exporter.base() + "/metrics").body();
      assertTrue(metrics.contains("blackbox_exporter_config_last_reload_successful 0"), metrics);
      String config = io.promsuite.exporter.common.testing.Http.get(exporter.base() + "/config").body();
      assertTrue(config.contains("tcp_connect"), "the last good modules are kept: " + config);
    }
  }

  @Test
  void configViewMasksSecrets() throws Exception {
    BlackboxConfig c = BlackboxConfig.parse(FILE, """
        modules:
          m:
            prober: http
            timeout: 1m30s
            http:
              basic_auth: {username: admin, password: hunter2}
          t:
            prober: http
            http: {bearer_token: tok-secret}
        """);
    String view = ConfigView.yaml(c);
    assertFalse(view.contains("hunter2"), view);
    assertFalse(view.contains("tok-secret"), view);
    assertTrue(view.contains("password: <secret>"), view);
    assertTrue(view.contains("bearer_token: <secret>"), view);
    assertTrue(view.contains("username: admin"), view);
    assertTrue(view.contains("timeout: 1m30s"), view);
  }
}
