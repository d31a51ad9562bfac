package io.promsuite.pushgateway;

/** A push could not be delivered and would not fit in the spool's size bound, so it was dropped. */
public final class SpoolFullException extends PushException {

  public SpoolFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
