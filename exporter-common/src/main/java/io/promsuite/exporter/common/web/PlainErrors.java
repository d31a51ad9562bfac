package io.promsuite.exporter.common.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Error answers made by the server itself (a request it cannot parse, a handler that failed): one
 * line of plain text, as Go's net/http writes them, never an HTML page or an exception's name.
 */
final class PlainErrors extends ErrorHandler {
  /** Go's wording where it differs from Jetty's reason. */
  static String line(int status, String reason) {
    String detail = switch (reason == null ? "" : reason) {
      case "No Host" -> "missing required Host header";
      case "Unknown Version", "Unsupported Version" -> "unsupported protocol version";
      default -> null;
    };
    int code = detail != null && detail.startsWith("unsupported") ? 505 : status;
    String text = code + " " + HttpStatus.getMessage(code);
    return detail == null ? text + "\n" : text + ": " + detail + "\n";
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8"));
    fields.put(new HttpField(HttpHeader.CONNECTION, "close"));
    return ByteBuffer.wrap(line(status, reason).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) throws IOException {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.write(true, ByteBuffer.wrap(line(code, code >= 500 ? null : message).getBytes(StandardCharsets.UTF_8)),
        callback);
  }
}
