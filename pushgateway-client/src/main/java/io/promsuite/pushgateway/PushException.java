package io.promsuite.pushgateway;

import java.io.IOException;

/** A push, delete or flush that did not reach the gateway and was not spooled either. */
public class PushException extends IOException {

  public PushException(String message) {
    super(message);
  }

  public PushException(String message, Throwable cause) {
    super(message, cause);
  }
}
