package io.promsuite.pushgateway.cli;

/** The command line is wrong: the message names the flag and what it accepts. */
final class UsageException extends Exception {

  UsageException(String message) {
    super(message);
  }
}
