package io.promsuite.pushgateway.cli;

/** Exposition text that would not be accepted, with the 1-based line where the problem is. */
public final class ExpositionTextException extends Exception {

  private final int line;

  public ExpositionTextException(int line, String problem) {
    super("line " + line + ": " + problem);
    this.line = line;
  }

  /** The 1-based line number. */
  public int line() {
    return line;
  }
}
