package io.promsuite.exporter.blackbox.config;

import java.util.List;
import java.util.regex.Pattern;

/** Regexp rules over one section of a DNS response, matched against each record's text form. */
public record DnsRrValidator(List<Pattern> failIfMatchesRegexp, List<Pattern> failIfAllMatchRegexp,
    List<Pattern> failIfNotMatchesRegexp, List<Pattern> failIfNoneMatchesRegexp) {
  public static final DnsRrValidator NONE = new DnsRrValidator(null, null, null, null);

  public DnsRrValidator {
    failIfMatchesRegexp = failIfMatchesRegexp == null ? List.of() : List.copyOf(failIfMatchesRegexp);
    failIfAllMatchRegexp = failIfAllMatchRegexp == null ? List.of() : List.copyOf(failIfAllMatchRegexp);
    failIfNotMatchesRegexp = failIfNotMatchesRegexp == null ? List.of() : List.copyOf(failIfNotMatchesRegexp);
    failIfNoneMatchesRegexp = failIfNoneMatchesRegexp == null ? List.of() : List.copyOf(failIfNoneMatchesRegexp);
  }
}
