package io.promsuite.pushgateway;

/** Every attempt within the retry deadline failed with a connection error, a timeout, 429 or 5xx. */
public final class GatewayUnavailableException extends PushException {

  private final int attempts;

  public GatewayUnavailableException(String message, int attempts, Throwable cause) {
    super(message, cause);
    this.attempts = attempts;
  }

  /** How many requests were made before giving up. */
  public int attempts() {
    return attempts;
  }
}
