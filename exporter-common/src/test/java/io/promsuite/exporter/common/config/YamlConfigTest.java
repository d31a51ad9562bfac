package io.promsuite.exporter.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlConfigTest {
  record Probe(String prober, Duration timeout, @JsonProperty("fail_if_matches") List<Pattern> failIfMatches) {
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
}
