package io.promsuite.pushgateway;

/**
 * The gateway refused a request with a 4xx other than 429: the body is wrong for it (for example
 * metric types that clash with the group), so sending it again cannot help. Never retried, never
 * spooled.
 */
public final class PushRejectedException extends PushException {

  private final int status;
  private final String gatewayMessage;

  public PushRejectedException(String target, int status, String gatewayMessage) {
    super(target + " was rejected with HTTP " + status + ": " + gatewayMessage);
    this.status = status;
    this.gatewayMessage = gatewayMessage;
  }

  /** The HTTP status the gateway answered. */
  public int status() {
    return status;
  }

  /** The gateway's own explanation, from the response body. */
  public String gatewayMessage() {
    return gatewayMessage;
  }
}
