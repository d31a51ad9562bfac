package io.promsuite.exporter.blackbox.prober;

import io.promsuite.exporter.blackbox.config.HeaderMatch;
import io.promsuite.exporter.blackbox.config.HttpProbe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import okhttp3.Response;

/** The http prober's checks of a response: status, version, header and body regexps, and reading the body. */
final class HttpChecks {
  private HttpChecks() {}

  static boolean validStatus(HttpProbe cfg, int code, ProbeLog log) {
    if (!cfg.validStatusCodes().isEmpty()) {
      if (cfg.validStatusCodes().contains(code)) {
        return true;
      }
      log.info("Invalid HTTP response status code", "status_code", code, "valid_status_codes", cfg.validStatusCodes());
      return false;
    }
    if (code >= 200 && code < 300) {
      return true;
    }
    log.info("Invalid HTTP response status code, wanted 2xx", "status_code", code);
    return false;
  }

  static boolean headersOk(HttpProbe cfg, Response resp, ProbeLog log) {
    for (HeaderMatch m : cfg.failIfHeaderMatches()) {
      List<String> values = resp.headers(m.header());
      if (values.isEmpty() ? !missingAllowed(m, log)
          : values.stream().anyMatch(v -> m.regexp().matcher(v).find()) && logged(log, "Header matched regular expression", m, values)) {
        return false;
      }
    }
    for (HeaderMatch m : cfg.failIfHeaderNotMatches()) {
      List<String> values = resp.headers(m.header());
      if (values.isEmpty() ? !missingAllowed(m, log)
          : values.stream().noneMatch(v -> m.regexp().matcher(v).find()) && logged(log, "Header did not match regular expression", m, values)) {
        return false;
      }
    }
    return true;
  }

  private static boolean missingAllowed(HeaderMatch m, ProbeLog log) {
    if (!m.allowMissing()) {
      log.error("Missing required header", "header", m.header());
    }
    return m.allowMissing();
  }

  private static boolean logged(ProbeLog log, String msg, HeaderMatch m, List<String> values) {
    log.error(msg, "header", m.header(), "regexp", m.regexp(), "value_count", values.size());
    return true;
  }

  static boolean bodyOk(HttpProbe cfg, String body, ProbeLog log) {
    for (Pattern p : cfg.failIfBodyMatchesRegexp()) {
      if (p.matcher(body).find()) {
        log.error("Body matched regular expression", "regexp", p.pattern());
        return false;
      }
    }
    for (Pattern p : cfg.failIfBodyNotMatchesRegexp()) {
      if (!p.matcher(body).find()) {
        log.error("Body did not match regular expression", "regexp", p.pattern());
        return false;
      }
    }
    return true;
  }

  /** The body, decompressed as {@code compression} says and cut at {@code body_size_limit} (then an error). */
  static byte[] readBody(HttpProbe cfg, Response resp) throws IOException {
    if (resp.body() == null) {
      return new byte[0];
    }
    InputStream in = resp.body().byteStream();
    in = switch (cfg.compression()) {
      case "gzip" -> new GZIPInputStream(in);
      case "deflate" -> new InflaterInputStream(in, new Inflater(true));
      case "br" -> new org.brotli.dec.BrotliInputStream(in);
      default -> in;
    };
    long limit = cfg.bodySizeLimitBytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      out.write(buf, 0, n);
      if (limit > 0 && out.size() > limit) {
        throw new IOException("http: request body too large (body_size_limit " + limit + " bytes)");
      }
    }
    return out.toByteArray();
  }

  static String protocol(Response resp) {
    return switch (resp.protocol()) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_2, H2_PRIOR_KNOWLEDGE -> "HTTP/2.0";
      default -> "HTTP/1.1";
    };
  }

}
