package io.promsuite.exporter.common.config.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.config.ConfigException;
import io.promsuite.exporter.common.config.YamlConfig;
import io.promsuite.exporter.common.testing.Command;
import io.promsuite.exporter.common.testing.RealParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus' common HTTP client config as exporter-common reads it: the same settings accepted and
 * refused as by Prometheus itself ({@code promtool check config} on a scrape config holding them),
 * defaults, and the Authorization header with secrets read from files at each request.
 */
class HttpClientConfigTest {
  private static final Path FILE = Path.of("client.yml");

  @TempDir
  Path dir;

  private static HttpClientConfig parse(String yaml) throws ConfigException {
    return new YamlConfig().parse(FILE, yaml, HttpClientConfig.class, HttpClientConfig.DEFAULT);
  }

  @Test
  void acceptsAndRefusesTheSameSettingsAsPrometheus() throws Exception {
    Path promtool = RealParts.require("promtool");
    Path secret = Files.writeString(dir.resolve("secret"), "s3cret\n");
    String f = secret.toString();
    // Each setting as the YAML of a scrape config's HTTP client part, and whether it is valid.
    Map<String, Boolean> cases = new java.util.LinkedHashMap<>();
    cases.put("basic_auth: {username: u, password: p}", true);
    cases.put("basic_auth: {username: u, password_file: " + f + "}", true);
    cases.put("bearer_token: t", true);
    cases.put("bearer_token_file: " + f, true);
    cases.put("authorization: {type: Token, credentials: c}", true);
    cases.put("authorization: {credentials_file: " + f + "}", true);
    cases.put("oauth2: {client_id: i, client_secret: s, token_url: 'http://127.0.0.1:1/token', scopes: [a, b], "
        + "endpoint_params: {audience: x}}", true);
    cases.put("tls_config: {ca_file: " + f + ", cert_file: " + f + ", key_file: " + f + ", server_name: n, "
        + "insecure_skip_verify: true, min_version: TLS12}", true);
    cases.put("proxy_url: 'http://127.0.0.1:3128'\nfollow_redirects: false\nenable_http2: false", true);
    cases.put("basic_auth: {username: u, password: p}\nbearer_token: t", false);
    cases.put("basic_auth: {username: u, password: p, password_file: " + f + "}", false);
    cases.put("bearer_token: t\nbearer_token_file: " + f, false);
    cases.put("authorization: {type: Basic, credentials: c}", false);
    cases.put("authorization: {credentials: c, credentials_file: " + f + "}", false);
    cases.put("authorization: {credentials: c}\noauth2: {client_id: i, client_secret: s, token_url: 'http://h/t'}", false);
    cases.put("oauth2: {client_id: i, client_secret: s, client_secret_file: " + f + ", token_url: 'http://h/t'}", false);
    cases.put("tls_config: {min_version: TLS14}", false);
    cases.put("tls_config: {cert_file: " + f + "}", false);
    cases.put("tls_config: {ca: " + f + "}", false);
    cases.put("follow_redirects: maybe", false);
    List<String> disagreements = new ArrayList<>();
    for (Map.Entry<String, Boolean> c : cases.entrySet()) {
      String ours;
      try {
        parse(c.getKey());
        ours = "accepted";
      } catch (ConfigException e) {
        ours = "refused (" + e.getMessage() + ")";
      }
      Command.Result theirs = promtool(promtool, c.getKey());
      boolean promtoolAccepts = theirs.exit() == 0;
      assertEquals(c.getValue(), promtoolAccepts, "promtool on\n" + c.getKey() + "\n" + theirs.output());
      if (ours.equals("accepted") != promtoolAccepts) {
        disagreements.add(c.getKey().replace('\n', ' ') + ": ours " + ours + ", promtool " + theirs.output().strip());
      }
    }
    assertTrue(disagreements.isEmpty(), String.join("\n", disagreements));
  }

  private Command.Result promtool(Path promtool, String clientConfig) throws IOException {
    String job = "  - job_name: j\n    static_configs: [{targets: ['127.0.0.1:9100']}]\n"
        + clientConfig.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
    Path config = Files.writeString(dir.resolve("prometheus.yml"), "scrape_configs:\n" + job);
    return Command.run(new ProcessBuilder(promtool.toString(), "check", "config", "--syntax-only", config.toString()),
        Duration.ofSeconds(30));
  }

  @Test
  void defaultsFollowRedirectsAndHttp2AndMaskSecrets() throws Exception {
    HttpClientConfig c = parse("basic_auth: {username: u, password: hunter2}\ntls_config: {server_name: example.org}\n");
    assertTrue(c.followRedirects());
    assertTrue(c.enableHttp2());
    assertEquals("", c.proxyUrl());
    assertEquals("example.org", c.tlsConfig().serverName());
    assertFalse(c.tlsConfig().insecureSkipVerify());
    assertEquals("hunter2", c.basicAuth().password().value());
    assertFalse(c.toString().contains("hunter2"), c.toString());
    assertEquals(TlsConfig.DEFAULT, parse("").tlsConfig());
  }

  @Test
  void errorsNameLineAndField() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("proxy_url: 'http://p:3128'\n"
        + "tls_config:\n  min_version: TLS12\n  ca: /etc/ca.pem\n"));
    assertEquals(4, e.line(), e.getMessage());
    assertEquals("tls_config.ca", e.field());
    assertTrue(e.getMessage().endsWith("unknown field \"ca\"; accepted here: ca_file, cert_file, insecure_skip_verify, "
        + "key_file, max_version, min_version, server_name"), e.getMessage());
  }

  @Test
  void authorizationHeaderReadsSecretFilesAtEachCall() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "first\n");
    HttpClientConfig bearer = parse("bearer_token_file: " + token + "\n");
    assertEquals("Bearer first", bearer.authorizationHeader());
    Files.writeString(token, "rotated");
    assertEquals("Bearer rotated", bearer.authorizationHeader());
    assertEquals("Basic dTpw", parse("basic_auth: {username: u, password: p}\n").authorizationHeader());
    assertEquals("Token c", parse("authorization: {type: Token, credentials: c}\n").authorizationHeader());
    assertNull(parse("oauth2: {client_id: i, token_url: 'http://h/t'}\n").authorizationHeader());
    Files.delete(token);
    IOException gone = assertThrows(IOException.class, bearer::authorizationHeader);
    assertEquals("cannot read bearer_token_file " + token + ": file does not exist", gone.getMessage());
  }
}
