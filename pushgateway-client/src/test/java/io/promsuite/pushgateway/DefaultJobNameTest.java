package io.promsuite.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultJobNameTest {

  @TempDir Path dir;

  @Test
  void theJarsNameWithoutItsExtensionEvenWhenItsPathHasSpaces() throws Exception {
    Path jar = Files.createDirectories(dir.resolve("my jobs")).resolve("nightly etl-1.2.jar");
    Files.writeString(jar, "");
    assertEquals("nightly etl-1.2", DefaultJobName.fromCommand(jar + " --date 2026-12-03"));
    assertEquals("nightly etl-1.2", DefaultJobName.fromCommand(jar.toString()));
  }

  @Test
  void unknownJobWhenNotStartedFromAJar() {
    assertEquals("unknown_job", DefaultJobName.fromCommand("com.example.Main --date 2026-12-03"));
    assertEquals("unknown_job", DefaultJobName.fromCommand(null));
    assertEquals("unknown_job", DefaultJobName.fromCommand(dir + " arg"));
  }
}
