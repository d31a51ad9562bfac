package io.promsuite.exporter.blackbox.config;

import io.promsuite.exporter.common.config.http.HttpClientConfig;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code http:} section of a module, with blackbox_exporter's option names and defaults
 * (2xx valid, redirects followed, ip6 preferred with fallback, GET).
 */
public record HttpProbe(
    List<Integer> validStatusCodes,
    List<String> validHttpVersions,
    String preferredIpProtocol,
    Boolean ipProtocolFallback,
    Boolean skipResolvePhaseWithProxy,
    Boolean noFollowRedirects,
    Boolean failIfSsl,
    Boolean failIfNotSsl,
    String method,
    Map<String, String> headers,
    List<Pattern> failIfBodyMatchesRegexp,
    List<Pattern> failIfBodyNotMatchesRegexp,
    List<HeaderMatch> failIfHeaderMatches,
    List<HeaderMatch> failIfHeaderNotMatches,
    String body,
    String compression,
    String bodySizeLimit,
    // Prometheus' common HTTP client config, its keys in this section as in blackbox_exporter.
    HttpClientConfig client) {

  static final List<String> COMPRESSIONS = List.of("", "gzip", "deflate", "identity", "br");
  public static final HttpProbe DEFAULT = new HttpProbe(null, null, null, null, null, null, null, null, null, null,
      null, null, null, null, null, null, null, null);

  public HttpProbe {
    validStatusCodes = validStatusCodes == null ? List.of() : List.copyOf(validStatusCodes);
    validHttpVersions = validHttpVersions == null ? List.of() : List.copyOf(validHttpVersions);
    preferredIpProtocol = IpProtocol.check(preferredIpProtocol);
    ipProtocolFallback = ipProtocolFallback == null || ipProtocolFallback;
    skipResolvePhaseWithProxy = skipResolvePhaseWithProxy != null && skipResolvePhaseWithProxy;
    failIfSsl = failIfSsl != null && failIfSsl;
    failIfNotSsl = failIfNotSsl != null && failIfNotSsl;
    method = method == null || method.isEmpty() ? "GET" : method.toUpperCase(Locale.ROOT);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    failIfBodyMatchesRegexp = failIfBodyMatchesRegexp == null ? List.of() : List.copyOf(failIfBodyMatchesRegexp);
    failIfBodyNotMatchesRegexp = failIfBodyNotMatchesRegexp == null ? List.of() : List.copyOf(failIfBodyNotMatchesRegexp);
    failIfHeaderMatches = failIfHeaderMatches == null ? List.of() : List.copyOf(failIfHeaderMatches);
    failIfHeaderNotMatches = failIfHeaderNotMatches == null ? List.of() : List.copyOf(failIfHeaderNotMatches);
    body = body == null ? "" : body;
    compression = compression == null ? "" : compression.toLowerCase(Locale.ROOT);
    if (!COMPRESSIONS.contains(compression)) {
      throw new IllegalArgumentException("compression must be one of gzip, deflate, br, identity; got '" + compression + "'");
    }
    bodySizeLimit = bodySizeLimit == null ? "" : bodySizeLimit;
    ByteSizes.parse(bodySizeLimit);
    client = client == null ? HttpClientConfig.DEFAULT : client;
    if (noFollowRedirects != null) {
      // Deprecated in blackbox_exporter; still honoured, as there.
      client = client.withFollowRedirects(!noFollowRedirects);
    }
    for (String v : validHttpVersions) {
      if (!v.matches("HTTP/(1\\.0|1\\.1|2\\.0|2|3\\.0|3)")) {
        throw new IllegalArgumentException("valid_http_versions: '" + v + "' is not an HTTP version (HTTP/1.0, HTTP/1.1, HTTP/2.0)");
      }
    }
    for (int code : validStatusCodes) {
      if (code < 100 || code > 599) {
        throw new IllegalArgumentException("valid_status_codes: " + code + " is not an HTTP status code");
      }
    }
  }

  /** {@code body_size_limit} in bytes, 0 for none. */
  public long bodySizeLimitBytes() {
    return ByteSizes.parse(bodySizeLimit);
  }
}
