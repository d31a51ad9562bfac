package io.promsuite.exporter.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --probe.allow / --probe.deny tried from the attacker's side against the exporter as users run it
 * (target/bin/blackbox-exporter), in its own mount namespace with its own /etc/hosts (so names
 * resolve through glibc, IPv4-mapped entries included) and /etc/resolv.conf pointing at a dnsmasq
 * that logs every query. A victim on 127.0.0.1 and an allowed server on 127.0.0.2 keep their own
 * access logs: those logs, not the exporter's answers, are the evidence.
 */
class ProbeGuardIT {
  static final String CONFIG = """
      modules:
        http_2xx:
          prober: http
          timeout: 5s
        tcp_connect:
          prober: tcp
          timeout: 5s
        dns_udp:
          prober: dns
          timeout: 3s
          dns:
            query_name: example.com
        dns_tcp:
          prober: dns
          timeout: 3s
          dns:
            query_name: example.com
            transport_protocol: tcp
      """;
  static final String HOSTS = """
      127.0.0.1 localhost
      ::ffff:127.0.0.1 only6.test
      127.0.0.2 both.test
      ::ffff:127.0.0.1 both.test
      ::127.0.0.1 compat.test
      127.0.0.1 victim.test
      127.0.0.2 allowed.test
      """;

  static Path dir;
  static Path launcher;
  static Path hosts;
  static Path resolvConf;
  static String dnsAddress;

  LoggingServer victim;
  LoggingServer allowed;
  final List<AutoCloseable> started = new ArrayList<>();

  @BeforeAll
  static void prerequisites() throws Exception {
    launcher = Path.of("target/bin/blackbox-exporter").toAbsolutePath();
    if (!Files.isExecutable(launcher)) {
      RealParts.missing(launcher + " is missing (built by mvn package, before this integration test)");
    }
    if (!RealParts.isRoot()) {
      RealParts.missing("root is needed for a mount namespace with its own /etc/hosts");
    }
    RealParts.require("unshare");
    dir = Files.createTempDirectory("probe-guard");
    hosts = Files.writeString(dir.resolve("hosts"), HOSTS);
    // dnsmasq on port 53 of an address of its own in 127/8: resolv.conf cannot name a port.
    ThreadLocalRandom r = ThreadLocalRandom.current();
    dnsAddress = "127.53." + r.nextInt(1, 255) + "." + r.nextInt(1, 255);
    resolvConf = Files.writeString(dir.resolve("resolv.conf"), "nameserver " + dnsAddress + "\noptions timeout:1 attempts:1\n");
  }

  @BeforeEach
  void servers() throws Exception {
    victim = new LoggingServer("127.0.0.1");
    allowed = new LoggingServer("127.0.0.2");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : started.reversed()) {
      c.close();
    }
    victim.close();
    allowed.close();
  }

  @Test
  void namesWithMappedAddressesLegacySpellingsAndRedirectsNeverReachADeniedVictim() throws Exception {
    Exporter e = exporter("--probe.deny=127.0.0.1/32,::1/128");
    int p = victim.port;
    // Controls: the allowed server is probed, redirects are followed, so failures below are the guard's.
    assertEquals(1, e.success("http_2xx", "http://allowed.test:" + allowed.port + "/"));
    assertEquals(1, e.success("tcp_connect", "allowed.test:" + allowed.port));
    assertEquals(1, e.success("http_2xx", allowed.url("/to?url=" + enc("http://allowed.test:" + allowed.port + "/ok"))));
    assertTrue(allowed.accessLog().contains("GET /ok HTTP/1.1"), allowed.accessLog());

    for (String target : List.of("http://only6.test:" + p + "/", "http://both.test:" + p + "/", "http://compat.test:" + p + "/",
        "http://[::ffff:127.0.0.1]:" + p + "/", "http://[::127.0.0.1]:" + p + "/", "http://[64:ff9b::7f00:1]:" + p + "/")) {
      e.assertAnswer(403, "http_2xx", target, "denied by --probe.deny=127.0.0.1/32");
    }
    for (String module : List.of("tcp_connect", "dns_udp", "dns_tcp")) {
      e.assertAnswer(403, module, "only6.test:" + p, "only6.test resolves to 127.0.0.1, denied");
      e.assertAnswer(403, module, "both.test:" + p, "both.test resolves to 127.0.0.1, denied");
    }
    for (String location : List.of("http://only6.test:" + p + "/x", "http://both.test:" + p + "/x",
        "http://[::ffff:127.0.0.1]:" + p + "/x", "http://0177.0.0.1:" + p + "/x", "http://2130706433:" + p + "/x",
        "http://127.1:" + p + "/x", "http://0x7f.1:" + p + "/x", "http://[::]:" + p + "/x")) {
      String target = allowed.url("/to?url=" + enc(location));
      assertEquals(0, e.success("http_2xx", target), location);
      String debug = e.debug("http_2xx", target);
      assertTrue(debug.contains("redirect refused") || debug.contains("denied by --probe.deny"), debug);
    }
    for (String target : List.of("http://0177.0.0.1:" + p + "/", "http://0x7f.1:" + p + "/", "http://2130706433:" + p + "/")) {
      e.assertAnswer(400, "http_2xx", target, "legacy IPv4 spelling");
    }
    for (String target : List.of("127.1:" + p, "0177.0.0.1:" + p, "127.0.0.1.:" + p)) {
      e.assertAnswer(400, "tcp_connect", target, "legacy IPv4 spelling");
    }
    assertEquals("", victim.accessLog(), "the victim's own log: nothing reached it");
    e.assertLogClean();
  }

  @Test
  void hostPatternsMatchAnyCaseWithOrWithoutTheTrailingDot() throws Exception {
    Exporter e = exporter("--probe.deny=victim.test");
    int p = victim.port;
    for (String target : List.of("http://victim.test:" + p + "/", "http://victim.test.:" + p + "/",
        "http://VICTIM.Test.:" + p + "/")) {
      e.assertAnswer(403, "http_2xx", target, "denied by --probe.deny=victim.test");
    }
    e.assertAnswer(403, "tcp_connect", "Victim.Test.:" + p, "denied by --probe.deny=victim.test");
    assertEquals(0, e.success("http_2xx", allowed.url("/to?url=" + enc("http://VICTIM.test.:" + p + "/x"))));
    assertEquals("", victim.accessLog(), "the victim's own log: nothing reached it");
    // The same victim by address is not denied here: its log shows that probes do arrive when allowed.
    assertEquals(1, e.success("http_2xx", victim.url("/by-address")));
    assertTrue(victim.accessLog().contains("GET /by-address"), victim.accessLog());
    e.assertLogClean();
  }

  @Test
  void underAnAllowListOnlyNamesItsPatternsAdmitAreLookedUp() throws Exception {
    Path queries = dir.resolve("queries-" + System.nanoTime() + ".log");
    Files.writeString(queries, "");
    RealProcess dnsmasq = RealProcess.start(List.of(RealParts.require("/usr/sbin/dnsmasq").toString(), "--no-daemon",
        "--listen-address=" + dnsAddress, "--bind-interfaces", "--port=53", "--no-resolv", "--no-hosts",
        "--conf-file=/dev/null", "--pid-file=", "--user=root", "--log-queries", "--log-facility=" + queries,
        "--local=/invalid/", "--local=/test/", "--address=/lookup.test/127.0.0.2"), dir.resolve("dnsmasq.out"));
    started.add(dnsmasq);
    awaitLine(queries, "started", dnsmasq);
    Exporter e = exporter("--probe.allow=127.0.0.2/32,*.lookup.test");
    int p = victim.port;
    for (String name : List.of("nonexistent.invalid", "only6.test", "victim.test")) {
      e.assertAnswer(403, "http_2xx", "http://" + name + ":" + p + "/", "not allowed by --probe.allow");
      e.assertAnswer(403, "tcp_connect", name + ":" + p, "not allowed by --probe.allow");
    }
    e.assertAnswer(403, "http_2xx", victim.url("/"), "not allowed by --probe.allow");
    e.assertAnswer(403, "http_2xx", "http://[::ffff:127.0.0.1]:" + p + "/", "not allowed by --probe.allow");
    assertEquals(0, e.success("http_2xx", allowed.url("/to?url=" + enc("http://elsewhere.invalid:" + p + "/"))));
    assertEquals(0, e.success("http_2xx", allowed.url("/to?url=" + enc("http://127.0.0.1:" + p + "/"))));
    // Controls: an allowed address, and a name its pattern admits, resolved through dnsmasq.
    assertEquals(1, e.success("http_2xx", allowed.url("/")));
    assertEquals(1, e.success("http_2xx", "http://x.lookup.test:" + allowed.port + "/"));
    String log = Files.readString(queries);
    assertTrue(log.contains("x.lookup.test"), "dnsmasq logs the queries it gets:\n" + log);
    assertFalse(log.contains("nonexistent") || log.contains("elsewhere"), "no query for a name no pattern admits:\n" + log);
    assertEquals("", victim.accessLog(), "the victim's own log: nothing reached it");
    e.assertLogClean();
  }

  @Test
  void badParametersGetAOneLinePlainTextAnswer() throws Exception {
    Exporter e = exporter("--probe.deny=127.0.0.1/32");
    String probe = e.base + "/probe?module=http_2xx&target=" + enc(allowed.url("/"));
    for (String query : List.of("&hostname=" + enc("a\r\nX-Injected: 1"), "&hostname=" + enc("a b"), "&debug=yes",
        "&debug=" + enc("true\r\n"))) {
      HttpResponse<String> r = Http.get(probe + query);
      assertEquals(400, r.statusCode(), query + ": " + r.body());
      assertOneLinePlainText(r);
    }
    for (String query : List.of("?module=" + enc("http_2xx\r\nx") + "&target=a", "?module=http_2xx&target=" + enc("a\r\nb"),
        "?module=tcp_connect&target=" + enc("a:b:c"))) {
      HttpResponse<String> r = Http.get(e.base + "/probe" + query);
      assertEquals(400, r.statusCode(), query + ": " + r.body());
      assertOneLinePlainText(r);
    }
    HttpResponse<String> ok = Http.get(probe + "&hostname=" + enc("Virtual.Example:8080"));
    assertEquals(200, ok.statusCode(), ok.body());
    assertTrue(allowed.accessLog().contains("Host: Virtual.Example:8080"), allowed.accessLog());
    // A probe that fails inside the prober: its log says why, without exception class names.
    String debug = e.debug("tcp_connect", "127.0.0.2:" + Ports.free());
    assertTrue(debug.contains("Error dialing TCP"), debug);
    assertFalse(debug.contains("Exception"), debug);
    String tls = e.debug("http_2xx", "https://127.0.0.2:" + allowed.port + "/"); // TLS to a clear-text server
    assertTrue(tls.contains("Error for HTTP request"), tls);
    assertFalse(tls.contains("Exception"), tls);
    e.assertLogClean();
  }

  private static void assertOneLinePlainText(HttpResponse<String> r) {
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
    assertEquals(1, r.body().strip().lines().count(), r.body());
    assertFalse(r.body().contains("Exception"), r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void awaitLine(Path file, String text, RealProcess p) {
    Poll.until(Duration.ofSeconds(20), "'" + text + "' in " + file, () -> {
      p.alive();
      return Files.readString(file);
    }, lines -> lines.contains(text));
  }

  private Exporter exporter(String... flags) throws Exception {
    Exporter e = new Exporter(flags);
    started.add(e);
    return e;
  }

  /** The launcher in a mount namespace whose /etc/hosts and /etc/resolv.conf are the test's. */
  static final class Exporter implements AutoCloseable {
    final RealProcess process;
    final String base;

    Exporter(String... flags) throws Exception {
      int port = Ports.free();
      base = "http://127.0.0.1:" + port;
      Path config = Files.writeString(Files.createTempFile(dir, "blackbox", ".yml"), CONFIG);
      List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--", "sh", "-c",
          "mount --bind \"$1\" /etc/hosts && mount --bind \"$2\" /etc/resolv.conf && shift 2 && exec \"$@\"", "sh",
          hosts.toString(), resolvConf.toString(), launcher.toString(), "--config.file=" + config,
          "--web.listen-address=127.0.0.1:" + port));
      cmd.addAll(List.of(flags));
      process = RealProcess.start(cmd, Files.createTempFile(dir, "exporter", ".log"), Map.of());
      process.awaitHttp(base + "/-/ready", Duration.ofSeconds(60));
    }

    HttpResponse<String> get(String module, String target) throws Exception {
      return Http.get(base + "/probe?module=" + enc(module) + "&target=" + enc(target));
    }

    double success(String module, String target) throws Exception {
      HttpResponse<String> r = get(module, target);
      assertEquals(200, r.statusCode(), module + " " + target + ": " + r.body());
      return Exposition.parse(r.body()).value("probe_success", Map.of());
    }

    String debug(String module, String target) throws Exception {
      return Http.get(base + "/probe?debug=true&module=" + enc(module) + "&target=" + enc(target)).body();
    }

    void assertAnswer(int status, String module, String target, String reason) throws Exception {
      HttpResponse<String> r = get(module, target);
      assertEquals(status, r.statusCode(), module + " " + target + ": " + r.body());
      assertTrue(r.body().contains(reason), module + " " + target + ": " + r.body());
      assertOneLinePlainText(r);
    }

    /** The exporter's own log: no exception class names, no stack traces. */
    void assertLogClean() {
      String out = process.output();
      assertFalse(out.contains("Exception") || out.contains("\tat "), out);
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
