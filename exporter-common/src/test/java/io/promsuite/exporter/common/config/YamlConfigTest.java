package io.promsuite.exporter.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlConfigTest {
  record Probe(String prober, Duration timeout, List<Pattern> failIfMatches) {
    Probe {
      if (prober == null) {
        throw new IllegalArgumentException("missing prober (accepted: http, tcp)");
      }
    }
  }

  record Config(Map<String, Probe> modules) {}

  @TempDir
  Path dir;

  private ConfigException load(String yaml) throws Exception {
    Path f = dir.resolve("blackbox.yml");
    Files.writeString(f, yaml);
    return assertThrows(ConfigException.class, () -> new YamlConfig().load(f, Config.class, null));
  }

  @Test
  void validFileLoadsIntoRecords() throws Exception {
    Path f = dir.resolve("ok.yml");
    Files.writeString(f, "modules:\n  web:\n    prober: http\n    timeout: 1m30s\n    fail_if_matches: ['^x']\n");
    Config c = new YamlConfig().load(f, Config.class, null);
    assertEquals(Duration.ofSeconds(90), c.modules().get("web").timeout());
    assertTrue(c.modules().get("web").failIfMatches().getFirst().matcher("xy").find());
  }

  @Test
  void unknownKeyNamesFileLineFieldAndAcceptedKeys() throws Exception {
    ConfigException e = load("modules:\n  web:\n    prober: http\n    timout: 5s\n");
    assertEquals(4, e.line());
    assertTrue(e.getMessage().startsWith(dir.resolve("blackbox.yml") + ":4:"), e.getMessage());
    assertTrue(e.getMessage().contains("field \"modules.web.timout\""), e.getMessage());
    assertTrue(e.getMessage().contains("unknown field \"timout\"; accepted here: fail_if_matches, prober, timeout"),
        e.getMessage());
  }

  @Test
  void badDurationRegexpAndTypeAreReportedWithTheLine() throws Exception {
    ConfigException d = load("modules:\n  web:\n    prober: http\n    timeout: soon\n");
    assertEquals(4, d.line());
    assertTrue(d.getMessage().contains("'soon' is not a duration"), d.getMessage());
    ConfigException r = load("modules:\n  web:\n    prober: http\n    fail_if_matches: ['(unclosed']\n");
    assertEquals(4, r.line());
    assertTrue(r.getMessage().contains("invalid regular expression '(unclosed'"), r.getMessage());
    ConfigException t = load("modules: [1, 2]\n");
    assertTrue(t.getMessage().contains(":1:") && t.getMessage().contains("expected a mapping"), t.getMessage());
  }

  @Test
  void validationInRecordsAndDuplicateKeysAreErrors() throws Exception {
    ConfigException v = load("modules:\n  web:\n    timeout: 5s\n");
    assertTrue(v.getMessage().contains("missing prober (accepted: http, tcp)"), v.getMessage());
    assertTrue(v.getMessage().contains("modules.web"), v.getMessage());
    ConfigException dup = load("modules:\n  web:\n    prober: http\n  web:\n    prober: tcp\n");
    assertTrue(dup.getMessage().toLowerCase().contains("duplicate"), dup.getMessage());
    ConfigException missing = assertThrows(ConfigException.class,
        () -> new YamlConfig().load(dir.resolve("nope.yml"), Config.class, null));
    assertTrue(missing.getMessage().endsWith("nope.yml: file does not exist"), missing.getMessage());
  }

  record Token(String value) {}

  record Client(Token bearerToken, Boolean followRedirects) implements YamlConfig.Inline {}

  record Section(String method, Client client, int tries) {
    Section {
      if (tries < 1) {
        throw new IllegalArgumentException("tries must be at least 1");
      }
    }
  }

  @Test
  void inlineRecordsReadTheirKeysFromTheEnclosingMappingAndShowThemThere() throws Exception {
    Path f = dir.resolve("inline.yml");
    Files.writeString(f, "method: GET\nbearer_token: abc\ntries: 2\n");
    Section s = new YamlConfig().load(f, Section.class, null);
    assertEquals("GET", s.method());
    assertEquals("abc", s.client().bearerToken().value(), "a one-component record reads from a scalar");
    assertEquals(null, s.client().followRedirects());
    assertEquals("{method=GET, bearer_token=<secret>, follow_redirects=null, tries=2}",
        YamlConfig.tree(s, v -> v instanceof Token ? "<secret>" : null).toString());
    Files.writeString(f, "method: GET\nbearer_tokn: abc\ntries: 1\n");
    ConfigException unknown = assertThrows(ConfigException.class, () -> new YamlConfig().load(f, Section.class, null));
    assertEquals(2, unknown.line());
    assertTrue(unknown.getMessage().endsWith("accepted here: bearer_token, follow_redirects, method, tries"),
        unknown.getMessage());
    Files.writeString(f, "method: GET\n");
    ConfigException primitive = assertThrows(ConfigException.class, () -> new YamlConfig().load(f, Section.class, null));
    assertTrue(primitive.getMessage().endsWith("field \"tries\": must be set"), primitive.getMessage());
    Files.writeString(f, "tries: 0\nfollow_redirects: yes please\n");
    ConfigException bool = assertThrows(ConfigException.class, () -> new YamlConfig().load(f, Section.class, null));
    assertEquals(2, bool.line());
    assertTrue(bool.getMessage().endsWith("field \"follow_redirects\": 'yes please' is not a valid boolean"),
        bool.getMessage());
  }
}
