package io.promsuite.exporter.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Deleting the directories tests make outside JUnit's @TempDir (short paths under /tmp for sockets). */
public final class TempDirs {
  private TempDirs() {}

  /** Deletes {@code root} and everything in it, as far as it can; then fails naming what is left, if anything. */
  public static void delete(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    List<String> left = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          left.add(p + " (" + e + ")");
        }
      }
    } catch (IOException e) {
      left.add(root + " (" + e + ")");
    }
    if (!left.isEmpty()) {
      throw new UncheckedIOException(new IOException("cannot delete " + root + ": " + left.size() + " left, first " + left.getFirst()));
    }
  }
}
