package io.promsuite.exporter.common.config;

import java.nio.file.Path;

/**
 * A configuration file that cannot be used. The message reads
 * {@code file:line:column: field "a.b": what was wrong; what is accepted}.
 */
public final class ConfigException extends Exception {
  private final Path file;
  private final int line;
  private final String field;

  public ConfigException(Path file, int line, int column, String field, String problem, Throwable cause) {
    super(format(file, line, column, field, problem), cause);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  public ConfigException(Path file, String problem) {
    this(file, 0, 0, null, problem, null);
  }

  private static String format(Path file, int line, int column, String field, String problem) {
    StringBuilder sb = new StringBuilder(String.valueOf(file));
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    sb.append(": ");
    if (field != null && !field.isEmpty()) {
      sb.append("field \"").append(field).append("\": ");
    }
    return sb.append(problem).toString();
  }

  public Path file() {
    return file;
  }

  /** 1-based line of the problem, 0 when it is about the whole file. */
  public int line() {
    return line;
  }

  /** Dotted path of the offending field, or null. */
  public String field() {
    return field;
  }
}
