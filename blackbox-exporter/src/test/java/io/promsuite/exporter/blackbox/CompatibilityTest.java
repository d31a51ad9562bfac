package io.promsuite.exporter.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Debian's blackbox_exporter 0.23.0 and ours, same blackbox.yml, same targets: module by module
 * the same families, types, label names and probe_success, and the same deterministic values.
 */
class CompatibilityTest {
  /** Families newer blackbox_exporters report that 0.23.0 does not. */
  static final Set<String> OURS_ONLY = Set.of("probe_tls_cipher_info");
  /** Values that do not depend on timing. */
  static final Set<String> DETERMINISTIC = Set.of("probe_success", "probe_http_status_code", "probe_http_redirects",
      "probe_http_ssl", "probe_http_version", "probe_http_content_length", "probe_http_uncompressed_body_length",
      "probe_http_last_modified_timestamp_seconds", "probe_ssl_earliest_cert_expiry",
      "probe_ssl_last_chain_expiry_timestamp_seconds", "probe_ssl_last_chain_info", "probe_tls_version_info",
      "probe_ip_protocol", "probe_ip_addr_hash", "probe_failed_due_to_regex", "probe_dns_answer_rrs",
      "probe_dns_authority_rrs", "probe_dns_additional_rrs", "probe_dns_query_succeeded", "probe_icmp_reply_hop_limit",
      "probe_grpc_ssl", "probe_grpc_status_code", "probe_grpc_healthcheck_response");

  record Case(String module, String target) {
    @Override
    public String toString() {
      return module + " " + target;
    }
  }

  static TestServers servers;
  static DnsmasqServer dns;
  static UnboundDotServer dot;
  static BannerServer ssh;
  static BannerServer irc;
  static EtcdServer grpcPlain;
  static EtcdServer grpcTls;
  static RealProcess go;
  static int goPort;
  static ExporterUnderTest ours;
  static Path config;

  @BeforeAll
  static void start() throws Exception {
    Path binary = RealParts.require("/usr/bin/prometheus-blackbox-exporter");
    servers = TestServers.get();
    dns = new DnsmasqServer();
    dot = new UnboundDotServer(servers.certs);
    ssh = new BannerServer(List.of(">SSH-2.0-OpenSSH_9.2p1 Debian", "<"), null, false);
    grpcPlain = new EtcdServer(null);
    grpcTls = new EtcdServer(servers.certs.valid);
    irc = new BannerServer(List.of("<", "<", ">PING :token42", "<", ">:irc.local 001 prober :Welcome"), null, false);
    String yaml = Files.readString(Path.of("src/test/resources/debian-blackbox.yml")).replace("modules:\n", """
        modules:
          http_ca:
            prober: http
            timeout: 5s
            http:
              tls_config: {ca_file: %1$s}
          http_insecure:
            prober: http
            timeout: 5s
            http: {tls_config: {insecure_skip_verify: true}}
          http_no_redirect:
            prober: http
            http: {follow_redirects: false}
          http_body:
            prober: http
            http: {fail_if_body_not_matches_regexp: ["hello b[a-z]+"], fail_if_header_matches: [{header: X-Probe, regexp: "no"}]}
          http_body_fail:
            prober: http
            http: {fail_if_body_matches_regexp: ["blackbox"]}
          grpc_health:
            prober: grpc
            timeout: 5s
            grpc: {tls: false, preferred_ip_protocol: ip4}
          grpc_ca:
            prober: grpc
            timeout: 5s
            grpc: {tls: true, preferred_ip_protocol: ip4, tls_config: {ca_file: %1$s}}
          dns_a:
            prober: dns
            timeout: 5s
            dns: {query_name: host.test, query_type: A, preferred_ip_protocol: ip4}
          dns_mx:
            prober: dns
            timeout: 5s
            dns: {query_name: mail.test, query_type: MX, transport_protocol: tcp}
          dns_cname:
            prober: dns
            dns: {query_name: alias.test, query_type: A}
          dns_nx:
            prober: dns
            dns: {query_name: missing.test, query_type: A}
          dns_all:
            prober: dns
            dns: {query_name: multi.test, query_type: A, validate_answer_rrs: {fail_if_all_match_regexp: ["192\\\\.0\\\\.2\\\\.21"]}}
          http_br:
            prober: http
            http: {compression: br, fail_if_body_not_matches_regexp: ["END-OF-BODY"]}
          http_server_name:
            prober: http
            timeout: 5s
            http: {tls_config: {ca_file: %1$s, server_name: other.example}}
          tcp_tls_server_name:
            prober: tcp
            timeout: 5s
            tcp: {tls: true, preferred_ip_protocol: ip4, tls_config: {ca_file: %1$s, server_name: other.example}}
          dns_tls:
            prober: dns
            timeout: 5s
            dns: {query_name: host.dot.test, query_type: A, transport_protocol: tcp, dns_over_tls: true,
              preferred_ip_protocol: ip4, tls_config: {ca_file: %1$s}}
          dns_tls_wrong_name:
            prober: dns
            timeout: 5s
            dns: {query_name: host.dot.test, query_type: A, transport_protocol: tcp, dns_over_tls: true,
              preferred_ip_protocol: ip4, tls_config: {ca_file: %1$s, server_name: other.example}}
          http_oauth2:
            prober: http
            http:
              oauth2: {client_id: probe-client, client_secret: "s3cret/with:chars", token_url: "%2$s", scopes: [probe],
                endpoint_params: {audience: blackbox}}
          http_oauth2_params:
            prober: http
            http: {oauth2: {client_id: probe-client, client_secret: "s3cret/with:chars", token_url: "%3$s"}}
          http_oauth2_bad:
            prober: http
            http: {oauth2: {client_id: probe-client, client_secret: wrong, token_url: "%2$s"}}
        """.formatted(servers.certs.caFile, servers.url("/oauth/token"), servers.url("/oauth/token-params")));
    config = Files.createTempFile("compat", ".yml");
    Files.writeString(config, yaml);
    goPort = Ports.free();
    go = RealProcess.start(List.of(binary.toString(), "--web.listen-address=127.0.0.1:" + goPort,
        "--config.file=" + config), Files.createTempFile("blackbox-go", ".log"));
    go.awaitHttp("http://127.0.0.1:" + goPort + "/-/healthy", Duration.ofSeconds(20));
    ours = new ExporterUnderTest(yaml);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {ours, go, dns, dot, ssh, irc, grpcPlain, grpcTls}) {
      if (c != null) {
        c.close();
      }
    }
    if (config != null) {
      Files.deleteIfExists(config);
    }
  }

  static List<Case> cases() throws Exception {
    TestServers s = TestServers.get();
    List<Case> c = new ArrayList<>();
    c.add(new Case("http_2xx", s.url("/")));
    c.add(new Case("http_2xx", s.url("/redirect/2")));
    c.add(new Case("http_2xx", s.url("/status/500")));
    c.add(new Case("http_2xx", "http://127.0.0.1:" + Ports.free() + "/"));
    c.add(new Case("http_post_2xx", s.url("/")));
    c.add(new Case("http_no_redirect", s.url("/redirect/1")));
    c.add(new Case("http_body", s.url("/")));
    c.add(new Case("http_body_fail", s.url("/")));
    c.add(new Case("http_ca", TestServers.url(s.httpsValid, "/")));
    c.add(new Case("http_ca", TestServers.url(s.httpsExpired, "/")));
    c.add(new Case("http_ca", TestServers.url(s.httpsWrongHost, "/")));
    c.add(new Case("http_insecure", TestServers.url(s.httpsSelfSigned, "/")));
    c.add(new Case("http_2xx", TestServers.url(s.httpsSelfSigned, "/")));
    c.add(new Case("http_oauth2", s.url("/oauth/protected")));
    c.add(new Case("http_oauth2_params", s.url("/oauth/protected")));
    c.add(new Case("http_oauth2_bad", s.url("/oauth/protected")));
    c.add(new Case("tcp_connect", "127.0.0.1:" + s.http.getAddress().getPort()));
    c.add(new Case("tcp_connect", "127.0.0.1:" + Ports.free()));
    c.add(new Case("ssh_banner", "SSH"));
    c.add(new Case("irc_banner", "IRC"));
    c.add(new Case("dns_a", "DNS"));
    c.add(new Case("dns_mx", "DNS"));
    c.add(new Case("dns_cname", "DNS"));
    c.add(new Case("dns_nx", "DNS"));
    c.add(new Case("dns_all", "DNS"));
    c.add(new Case("http_br", s.url("/br")));
    c.add(new Case("http_br", s.url("/gzip")));
    c.add(new Case("http_server_name", TestServers.url(s.httpsValid, "/")));
    c.add(new Case("http_server_name", TestServers.url(s.httpsWrongHost, "/")));
    c.add(new Case("tcp_tls_server_name", "127.0.0.1:" + s.httpsValid.getAddress().getPort()));
    c.add(new Case("tcp_tls_server_name", "127.0.0.1:" + s.httpsWrongHost.getAddress().getPort()));
    c.add(new Case("dns_tls", "DOT"));
    c.add(new Case("dns_tls", "DOTNAME"));
    c.add(new Case("dns_tls_wrong_name", "DOT"));
    c.add(new Case("icmp", "127.0.0.1"));
    c.add(new Case("grpc_health", "GRPC"));
    c.add(new Case("grpc_plain", "GRPC"));
    c.add(new Case("grpc_ca", "GRPCS"));
    c.add(new Case("grpc", "GRPCS"));
    c.add(new Case("grpc_health", "127.0.0.1:" + Ports.free()));
    return c;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void sameFamiliesLabelsAndValues(Case c) throws Exception {
    String target = switch (c.target()) {
      case "SSH" -> ssh.target();
      case "IRC" -> irc.target();
      case "DNS" -> dns.target();
      case "DOT" -> dot.target();
      case "DOTNAME" -> dot.namedTarget();
      case "GRPC" -> grpcPlain.target();
      case "GRPCS" -> grpcTls.target();
      default -> c.target();
    };
    String query = "/probe?module=" + ExporterUnderTest.enc(c.module()) + "&target=" + ExporterUnderTest.enc(target);
    Exposition theirs = Exposition.parse(Http.get("http://127.0.0.1:" + goPort + query).body());
    Exposition mine = Exposition.parse(Http.get(ours.base() + query).body());
    String context = c + "\n--- blackbox_exporter:\n" + Http.get("http://127.0.0.1:" + goPort + query + "&debug=true").body()
        + "\n--- ours:\n" + ours.debug(c.module(), target);
    assertEquals(labelNames(theirs), without(labelNames(mine), OURS_ONLY), context);
    assertEquals(values(theirs), values(mine), context);
    Map<String, String> myTypes = new TreeMap<>(mine.types);
    OURS_ONLY.forEach(myTypes::remove);
    assertEquals(new TreeMap<>(theirs.types), myTypes, context);
  }

  @org.junit.jupiter.api.Test
  void reloadStatusIsBlackboxExportersOnceWithItsNamesAndHelp() throws Exception {
    String theirs = Http.get("http://127.0.0.1:" + goPort + "/metrics").body();
    String mine = Http.get(ours.base() + "/metrics").body();
    List<String> expected = reloadHeaders(theirs);
    assertEquals(List.of(
        "# HELP blackbox_exporter_config_last_reload_success_timestamp_seconds Timestamp of the last successful configuration reload.",
        "# TYPE blackbox_exporter_config_last_reload_success_timestamp_seconds gauge",
        "# HELP blackbox_exporter_config_last_reload_successful Blackbox exporter config loaded successfully.",
        "# TYPE blackbox_exporter_config_last_reload_successful gauge"), expected, "blackbox_exporter 0.23.0 serves these");
    assertEquals(expected, reloadHeaders(mine), "the same reload families, each once, and no other");
    Exposition e = Exposition.parse(mine);
    assertEquals(1, e.samples("blackbox_exporter_config_last_reload_successful").size());
    assertEquals(1, e.value("blackbox_exporter_config_last_reload_successful", Map.of()));
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
          + "application/openmetrics-text;version=1.0.0;q=0.8,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
      "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
      "application/openmetrics-text; version=1.0.0",
      "application/vnd.google.protobuf",
      "*/*"})
  void probeAnswersInTheFormatBlackboxExporterNegotiates(String accept) throws Exception {
    String query = "/probe?module=tcp_connect&target=127.0.0.1:" + servers.http.getAddress().getPort();
    var theirs = Http.get("http://127.0.0.1:" + goPort + query, "Accept", accept);
    var mine = Http.get(ours.base() + query, "Accept", accept);
    assertEquals(200, mine.statusCode());
    assertEquals(theirs.headers().firstValue("Content-Type"), mine.headers().firstValue("Content-Type"));
  }

  /** The HELP and TYPE lines of every config reload family, in the order served. */
  private static List<String> reloadHeaders(String body) {
    return body.lines().filter(l -> l.startsWith("# ") && l.contains("_last_reload_")).toList();
  }

  /** Family name -> label names, for every sample. */
  private static Map<String, Set<String>> labelNames(Exposition e) {
    Map<String, Set<String>> out = new TreeMap<>();
    e.samples.forEach(s -> out.computeIfAbsent(s.name(), k -> new TreeSet<>()).addAll(s.labels().keySet()));
    return out;
  }

  private static Map<String, Set<String>> without(Map<String, Set<String>> m, Set<String> names) {
    Map<String, Set<String>> out = new TreeMap<>(m);
    names.forEach(out::remove);
    return out;
  }

  /** The deterministic samples: "name{labels}" -> value. */
  private static Map<String, Double> values(Exposition e) {
    Map<String, Double> out = new TreeMap<>();
    for (Exposition.Sample s : e.samples) {
      if (DETERMINISTIC.contains(s.name())) {
        out.put(s.name() + s.labels(), s.value());
      }
    }
    return out;
  }
}
