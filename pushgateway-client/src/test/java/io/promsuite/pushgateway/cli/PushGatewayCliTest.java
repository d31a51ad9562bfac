package io.promsuite.pushgateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promsuite.pushgateway.RealPushgateway;
import io.promsuite.pushgateway.SharedGatewayTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI in-process (fast) against the real gateway: validation, exit codes, messages. */
class PushGatewayCliTest extends SharedGatewayTest {

  private static PushGatewayCliRunner.Run cli(String stdin, String... args) {
    return PushGatewayCliRunner.run(stdin, args);
  }

  @Test
  void pushesTheArchitectureDocumentsExampleFromStdin() throws Exception {
    PushGatewayCliRunner.Run r = cli("""
        # TYPE training_duration_seconds gauge
        training_duration_seconds 3600
        # TYPE training_loss gauge
        training_loss 0.05
        # TYPE training_accuracy gauge
        training_accuracy 0.95""",
        "push", "--gateway", gateway.url(), "--job", "training", "--label", "instance=run-123", "-");
    assertEquals(0, r.exit(), r.err());
    JsonNode g = gateway.group(Map.of("job", "training", "instance", "run-123"));
    assertEquals("3600", RealPushgateway.value(g, "training_duration_seconds"));
    assertEquals("0.05", RealPushgateway.value(g, "training_loss"));
    assertEquals("0.95", RealPushgateway.value(g, "training_accuracy"));
  }

  @Test
  void postFromAFileKeepsOtherMetricsAndDeleteRemovesTheGroup() throws Exception {
    Path file = dir.resolve("m.prom");
    Files.writeString(file, "a 1\nb 2\n");
    assertEquals(0, cli("", "push", "--gateway", gateway.url(), "--job", "cli_post", "--label", "path=/srv/x", file.toString()).exit());
    Files.writeString(file, "a 5\n");
    assertEquals(0, cli("", "push", "--gateway", gateway.url(), "--job", "cli_post", "--label", "path=/srv/x",
        "--method", "post", file.toString()).exit());
    JsonNode g = gateway.group(Map.of("job", "cli_post", "path", "/srv/x"));
    assertEquals("5", RealPushgateway.value(g, "a"));
    assertEquals("2", RealPushgateway.value(g, "b"));
    assertEquals(0, cli("", "delete", "--gateway", gateway.url(), "--job", "cli_post", "--label", "path=/srv/x").exit());
    assertNull(gateway.group(Map.of("job", "cli_post", "path", "/srv/x")));
  }

  @Test
  void malformedTextIsRefusedNamingFileAndLineAndNothingIsSent() throws Exception {
    Path file = dir.resolve("bad.prom");
    String[][] cases = {
        {"ok 1\n9lives 1\n", "bad.prom:2: bad metric name '9lives'"},
        {"ok{good=\"1\",bad-name=\"2\"} 1\n", "bad.prom:1: bad label name 'bad-name' in 'ok'"},
        {"# TYPE ok gauge\nok twelve\n", "bad.prom:2: value 'twelve' of 'ok' is not a number"},
        {"ok{a=\"1\"} 1\nok{a=\"1\"} 2\n", "bad.prom:2: duplicate series ok{a=\"1\"}, first at line 1"},
    };
    long before = gateway.pushRequests("200", "put") + gateway.pushRequests("400", "put");
    for (String[] c : cases) {
      Files.writeString(file, c[0]);
      PushGatewayCliRunner.Run r = cli("", "push", "--gateway", gateway.url(), "--job", "cli_bad", file.toString());
      assertEquals(1, r.exit(), c[1]);
      assertTrue(r.err().contains(c[1]) && r.err().contains("nothing was sent"), r.err());
    }
    assertEquals(before, gateway.pushRequests("200", "put") + gateway.pushRequests("400", "put"));
    assertNull(gateway.group(Map.of("job", "cli_bad")));
  }

  /** As client_java takes it: host:port, with http unless --scheme says https. */
  @Test
  void aGatewayGivenAsHostAndPortIsReachedOverHttp() throws Exception {
    String hostPort = "127.0.0.1:" + gateway.port();
    assertEquals(0, cli("hostport_value 1\n", "push", "--gateway", hostPort, "--job", "cli_hostport").exit());
    assertEquals(0, cli("hostport_value 2\n", "push", "--gateway", hostPort, "--scheme", "http", "--job", "cli_hostport",
        "--label", "scheme=http").exit());
    assertEquals("1", RealPushgateway.value(gateway.group(Map.of("job", "cli_hostport")), "hostport_value"));
    assertEquals("2", RealPushgateway.value(gateway.group(Map.of("job", "cli_hostport", "scheme", "http")),
        "hostport_value"));
    // https to a plain-http gateway fails in the TLS handshake: the scheme was applied
    PushGatewayCliRunner.Run r = cli("hostport_value 3\n", "push", "--gateway", hostPort, "--scheme", "https",
        "--retry-deadline", "0s", "--job", "cli_hostport");
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("https://" + hostPort + "/metrics/job/cli_hostport"), r.err());
  }

  @Test
  void theGatewaysRefusalExitsOneWithItsMessage() {
    assertEquals(0, cli("# TYPE clash_cli counter\nclash_cli 1\n", "push", "--gateway", gateway.url(), "--job", "c1").exit());
    PushGatewayCliRunner.Run r = cli("# TYPE clash_cli gauge\nclash_cli 1\n", "push", "--gateway", gateway.url(), "--job", "c2");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("rejected with HTTP 400: pushed metrics are invalid or inconsistent with existing metrics"),
        r.err());
  }

  @Test
  void usageErrorsExitTwoNamingTheFlag() {
    Object[][] cases = {
        {new String[] {}, "no command given"},
        {new String[] {"send"}, "unknown command 'send'"},
        {new String[] {"push", "--job", "x"}, "push needs --gateway"},
        {new String[] {"push", "--gateway", gateway.url()}, "push needs --job"},
        {new String[] {"push", "--gateway", gateway.url(), "--job", "x", "--method", "patch"}, "--method 'patch' must be put"},
        {new String[] {"push", "--gateway", gateway.url(), "--job", "x", "--label", "novalue"}, "--label 'novalue' must be name=value"},
        {new String[] {"push", "--gateway", gateway.url(), "--job", "x", "--label", "1x=y"}, "'1x' is not valid"},
        {new String[] {"push", "--gateway", "ftp://h", "--job", "x"}, "--gateway: gateway URL 'ftp://h'"},
        {new String[] {"push", "--gateway", gateway.url(), "--job", "x", "--timeout", "5"}, "--timeout '5' must be a duration"},
        {new String[] {"flush", "--gateway", gateway.url()}, "flush needs --spool"},
        {new String[] {"push", "--gateway", gateway.url(), "--job", "x", "--bogus", "1"}, "unknown flag --bogus"},
        {new String[] {"push", "--gateway", "127.0.0.1:9091", "--scheme", "ftp", "--job", "x"}, "--scheme 'ftp' must be http or https"},
        {new String[] {"push", "--gateway", gateway.url(), "--scheme", "https", "--job", "x"}, "--scheme https contradicts --gateway"},
        {new String[] {"push", "--gateway", "127.0.0.1:no-port", "--job", "x"}, "--gateway: gateway '127.0.0.1:no-port' is not an address"},
    };
    for (Object[] c : cases) {
      PushGatewayCliRunner.Run r = cli("x 1\n", (String[]) c[0]);
      assertEquals(2, r.exit(), String.join(" ", (String[]) c[0]) + " -> " + r.err());
      assertTrue(r.err().contains((String) c[1]), r.err());
    }
    PushGatewayCliRunner.Run help = cli("", "--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().startsWith("usage: pushgateway-client push"), help.out());
    assertTrue(help.out().contains("exit codes: 0 sent, 3 spooled"), help.out());
  }
}
