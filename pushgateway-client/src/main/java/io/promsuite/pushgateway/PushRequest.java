package io.promsuite.pushgateway;

import java.util.Objects;

/**
 * One request to a gateway as it is sent and spooled: method, path below the gateway URL, body
 * and its content type. Credentials are not part of it, so they never reach the spool.
 *
 * @param method PUT, POST or DELETE
 * @param path the group's path, from {@link GroupingKey#path()}
 * @param contentType the body's media type; empty for DELETE
 * @param body the serialised metrics; empty for DELETE
 */
public record PushRequest(PushMethod method, String path, String contentType, byte[] body) {

  public PushRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  /** A short description for messages: {@code PUT /metrics/job/x}. */
  public String describe() {
    return method + " " + path;
  }
}
