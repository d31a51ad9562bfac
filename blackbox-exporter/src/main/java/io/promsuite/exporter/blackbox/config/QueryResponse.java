package io.promsuite.exporter.blackbox.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.regex.Pattern;

/** One step of a TCP dialogue: wait for a line matching {@code expect}, {@code send} a line, or start TLS. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QueryResponse(Pattern expect, String send, Boolean starttls) {
  public QueryResponse {
    send = send == null ? "" : send;
    starttls = starttls != null && starttls;
  }
}
