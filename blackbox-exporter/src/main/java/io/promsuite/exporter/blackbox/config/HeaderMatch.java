package io.promsuite.exporter.blackbox.config;

import java.util.regex.Pattern;

/** One {@code fail_if_header_matches} / {@code fail_if_header_not_matches} rule. */
public record HeaderMatch(String header, Pattern regexp, Boolean allowMissing) {
  public HeaderMatch {
    if (header == null || header.isEmpty()) {
      throw new IllegalArgumentException("header name must be set for HTTP header matchers");
    }
    if (regexp == null || regexp.pattern().isEmpty()) {
      throw new IllegalArgumentException("regexp must be set for HTTP header matchers");
    }
    allowMissing = allowMissing != null && allowMissing;
  }
}
