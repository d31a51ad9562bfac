package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The textfile collector next to Debian's node_exporter 1.5 on the same directories: well-formed
 * files (histograms, summaries, escapes, counters without _total, a family in two files, a type
 * clash between files, repeated samples, a text file repeating collected metrics), malformed ones
 * (each a rule of node_exporter's parser) and a glob over both.
 */
class NodeExporterTextfileTest {
  static final Path DIRS = Path.of("src/test/resources/textfile").toAbsolutePath();

  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"good", "bad", "*"})
  void sameOutputAsNodeExporter(String dir) throws Exception {
    try (SideBySide both = SideBySide.start(tmp.resolve("node_exporter.log"), List.of("--collector.disable-defaults",
        "--collector.textfile", "--collector.loadavg", "--collector.textfile.directory=" + DIRS.resolve(dir)))) {
      String[] bodies = both.scrape();
      SideBySide.assertSame(bodies[0], bodies[1], f -> !f.startsWith("node_load") && !f.startsWith("go_")
          && !f.startsWith("process_") && !f.startsWith("promhttp_") && !f.startsWith("node_scrape_")
          && !f.endsWith("_build_info"));
      double error = dir.equals("good") ? 0 : 1;
      assertEquals(error, Exposition.parse(bodies[0]).value("node_textfile_scrape_error", Map.of()));
    }
  }

  @Test
  void missingDirectoryIsAScrapeErrorAndEmptyFlagIsNot() throws Exception {
    try (SideBySide both = SideBySide.start(tmp.resolve("node_exporter.log"), List.of("--collector.disable-defaults",
        "--collector.textfile", "--collector.textfile.directory=" + tmp.resolve("absent")))) {
      String[] bodies = both.scrape();
      SideBySide.assertSame(bodies[0], bodies[1], f -> f.startsWith("node_textfile"));
      assertEquals(1, Exposition.parse(bodies[0]).value("node_textfile_scrape_error", Map.of()));
    }
    try (SideBySide both = SideBySide.start(tmp.resolve("node_exporter2.log"), List.of("--collector.disable-defaults",
        "--collector.textfile", "--collector.textfile.directory="))) {
      String[] bodies = both.scrape();
      SideBySide.assertSame(bodies[0], bodies[1], f -> f.startsWith("node_textfile"));
      assertEquals(0, Exposition.parse(bodies[0]).value("node_textfile_scrape_error", Map.of()));
    }
  }

  @Test
  void fileWrittenBetweenScrapesIsServedWithItsMtime() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("jobs"));
    try (SideBySide both = SideBySide.start(tmp.resolve("node_exporter.log"), List.of("--collector.disable-defaults",
        "--collector.textfile", "--collector.textfile.directory=" + dir))) {
      assertTrue(Exposition.parse(both.scrape()[0]).samples("job_done").isEmpty());
      Path file = dir.resolve("job.prom");
      Files.writeString(dir.resolve("job.prom.tmp"), "# HELP job_done Last run.\n# TYPE job_done gauge\njob_done 1\n");
      Files.move(dir.resolve("job.prom.tmp"), file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      String[] bodies = both.scrape();
      SideBySide.assertSame(bodies[0], bodies[1], f -> f.startsWith("node_textfile") || f.equals("job_done"));
      assertEquals(Files.getLastModifiedTime(file).toMillis() / 1000,
          Exposition.parse(bodies[0]).value("node_textfile_mtime_seconds", Map.of("file", file.toString())));
    }
  }
}
