package io.promsuite.exporter.blackbox.config;

import java.util.regex.Pattern;

/** One step of a TCP dialogue: wait for a line matching {@code expect}, {@code send} a line, or start TLS. */
public record QueryResponse(Pattern expect, String send, Boolean starttls) {
  public QueryResponse {
    send = send == null ? "" : send;
    starttls = starttls != null && starttls;
  }
}
