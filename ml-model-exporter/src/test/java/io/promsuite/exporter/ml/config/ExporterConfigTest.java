package io.promsuite.exporter.ml.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.promsuite.exporter.common.config.ConfigException;
import io.promsuite.exporter.common.config.YamlConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Strict loading of the sources file: every mistake names file, line and field. */
class ExporterConfigTest {
  private static final Path FILE = Path.of("ml.yml");

  private static ExporterConfig parse(String yaml) throws ConfigException {
    return new YamlConfig().parse(FILE, yaml, ExporterConfig.class, ExporterConfig.EMPTY);
  }

  @Test
  void readsAllThreeSourceTypesWithDefaults() throws Exception {
    ExporterConfig c = parse("""
        sources:
          - type: local
            path: /srv/models
          - name: prod-s3
            type: s3
            bucket: models
            prefix: team-a
            endpoint: http://127.0.0.1:9000
            path_style: true
            profile: ml-reader
          - type: mlflow
            url: https://mlflow.example.org
            bearer_token_file: /etc/ml/token
            serving_alias: champion
            timeout: 5s
        """);
    assertEquals(3, c.sources().size());
    SourceConfig local = c.sources().get(0);
    assertEquals("/srv/models", local.name());
    assertNull(local.timeout());
    SourceConfig s3 = c.sources().get(1);
    assertEquals("prod-s3", s3.name());
    assertEquals("us-east-1", s3.region());
    assertEquals(true, s3.pathStyle());
    assertEquals(3, s3.maxAttempts());
    assertEquals(Duration.ofSeconds(30), s3.timeout());
    SourceConfig mlflow = c.sources().get(2);
    assertEquals("https://mlflow.example.org", mlflow.name());
    assertEquals("validation", mlflow.defaultDataset());
    assertEquals(Duration.ofSeconds(5), mlflow.timeout());
  }

  @Test
  void unknownFieldNamesLineAndAcceptedFields() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("""
        sources:
          - type: s3
            bucket: models
            path_stlye: true
        """));
    assertEquals(4, e.line());
    assertEquals("ml.yml:4: field \"sources[0].path_stlye\": unknown field \"path_stlye\"; accepted here: basic_auth, bearer_token, "
        + "bearer_token_file, bucket, default_dataset, endpoint, max_attempts, name, path, path_style, prefix, profile, region, "
        + "serving_alias, timeout, type, url", e.getMessage());
  }

  @Test
  void fieldOfAnotherTypeIsRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("""
        sources:
          - type: local
            path: /srv/models
            bucket: models
        """));
    assertEquals("sources[0]", e.field());
    assertEquals(true, e.getMessage().endsWith("\"bucket\" not allowed for type local"), e.getMessage());
  }

  @Test
  void missingRequiredFieldAndUnknownTypeAreExplained() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("sources:\n  - type: s3\n"));
    assertEquals(true, e.getMessage().endsWith("missing \"bucket\" (the bucket name)"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse("sources:\n  - type: gcs\n    path: x\n"));
    assertEquals(true, e.getMessage().endsWith("unknown type \"gcs\"; one of local, s3, mlflow"), e.getMessage());
  }

  @Test
  void duplicateSourceNamesAreRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("""
        sources:
          - {type: local, path: /a, name: team}
          - {type: local, path: /b, name: team}
        """));
    assertEquals(true, e.getMessage().contains("two sources are named \"team\""), e.getMessage());
  }

  @Test
  void secretsNeverShowInToString() throws Exception {
    ExporterConfig c = parse("""
        sources:
          - type: mlflow
            url: http://mlflow:5000
            basic_auth: {username: bot, password: hunter2}
        """);
    assertEquals(false, c.toString().contains("hunter2"), c.toString());
  }
}
