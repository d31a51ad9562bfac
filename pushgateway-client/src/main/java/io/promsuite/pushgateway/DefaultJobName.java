package io.promsuite.pushgateway;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The {@code job} used when none is configured, chosen as client_java does: the running JAR's file
 * name without its extension ({@code java -jar /opt/etl/nightly-etl.jar} gives {@code nightly-etl}),
 * or {@code unknown_job} when the program was not started from a JAR.
 */
final class DefaultJobName {

  static final String UNKNOWN = "unknown_job";

  private DefaultJobName() {}

  static String detect() {
    return fromCommand(System.getProperty("sun.java.command"));
  }

  /**
   * The JVM gives the command as one string ({@code sun.java.command}: the JAR or main class, then
   * the arguments, space-separated), so a JAR path with spaces is found by trying ever longer
   * prefixes that end at a space until one is an existing file.
   */
  static String fromCommand(String command) {
    if (command == null) {
      return UNKNOWN;
    }
    int from = 0;
    while (true) {
      int space = command.indexOf(' ', from);
      String candidate = space < 0 ? command : command.substring(0, space);
      Path jar = regularFile(candidate);
      if (jar != null) {
        String name = jar.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String job = dot < 0 ? name : name.substring(0, dot);
        return job.isEmpty() ? UNKNOWN : job;
      }
      if (space < 0) {
        return UNKNOWN;
      }
      from = space + 1;
    }
  }

  private static Path regularFile(String candidate) {
    try {
      Path p = Path.of(candidate);
      return Files.isRegularFile(p) ? p : null;
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
