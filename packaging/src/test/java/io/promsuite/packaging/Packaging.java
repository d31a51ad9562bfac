package io.promsuite.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the files under test live, and reading them. */
final class Packaging {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private Packaging() {}

  /** The packaging module directory (surefire passes it; a plain IDE run uses the working dir). */
  static Path dir() {
    String configured = System.getProperty("packaging.dir");
    Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
    if (!Files.isDirectory(dir.resolve("prometheus"))) {
      dir = dir.resolve("packaging");
    }
    if (!Files.isDirectory(dir.resolve("prometheus"))) {
      throw new IllegalStateException("cannot find the packaging module (no prometheus/ under " + dir + ")");
    }
    return dir.toAbsolutePath().normalize();
  }

  static Path file(String relative) {
    return dir().resolve(relative);
  }

  /** The regular files of {@code relativeDir} whose names end with {@code suffix}, sorted. */
  static List<Path> files(String relativeDir, String suffix) {
    try (Stream<Path> listing = Files.list(dir().resolve(relativeDir))) {
      return listing.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse YAML", e);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  /**
   * Replaces {@code from}, which must occur: a reference file that changed under a test's rewrite
   * fails the test instead of silently running unrewired.
   */
  static String rewrite(String text, String from, String to) {
    if (!text.contains(from)) {
      throw new AssertionError("expected '" + from + "' in the reference file");
    }
    return text.replace(from, to);
  }

  /**
   * The configuration with the commented-out "# remote_write:" block at its end uncommented, as
   * a user enabling the examples would.
   */
  static String withRemoteWriteExamples(String config) {
    int start = config.indexOf("# remote_write:");
    if (start < 0) {
      throw new AssertionError("no commented remote_write example");
    }
    StringBuilder result = new StringBuilder(config.substring(0, start));
    for (String line : config.substring(start).split("\n", -1)) {
      result.append(line.startsWith("# ") ? line.substring(2) : line.equals("#") ? "" : line).append('\n');
    }
    return result.toString();
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
