package io.promsuite.exporter.common.cli;

/** A command line that cannot be run: unknown flag, missing or malformed value. Exit code 2. */
public final class FlagException extends Exception {
  public FlagException(String message) {
    super(message);
  }
}
