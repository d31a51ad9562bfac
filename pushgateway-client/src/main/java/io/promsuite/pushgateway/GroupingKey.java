package io.promsuite.pushgateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The job and the grouping labels that name one group on a Pushgateway, and its URL path.
 *
 * <p>Labels are kept sorted so that the same group always has the same path; the spool relies on
 * that to coalesce pushes to one group.
 */
public final class GroupingKey {

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final String job;
  private final SortedMap<String, String> labels;

  private GroupingKey(String job, SortedMap<String, String> labels) {
    this.job = job;
    this.labels = Collections.unmodifiableSortedMap(labels);
  }

  /** A group named by its job alone. */
  public static GroupingKey of(String job) {
    return of(job, Map.of());
  }

  /**
   * A group named by its job and labels.
   *
   * @throws IllegalArgumentException when the job is empty, a label name is not a valid Prometheus
   *     label name, or a label is called {@code job}
   */
  public static GroupingKey of(String job, Map<String, String> labels) {
    Objects.requireNonNull(job, "job");
    if (job.isEmpty()) {
      throw new IllegalArgumentException("job must not be empty");
    }
    SortedMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String name = e.getKey();
      if (name == null || !LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
        throw new IllegalArgumentException(
            "grouping label name '" + name + "' is not valid: use [a-zA-Z_][a-zA-Z0-9_]*, not starting with __");
      }
      if (name.equals("job")) {
        throw new IllegalArgumentException("grouping label 'job' is the job name: pass it as the job");
      }
      sorted.put(name, Objects.requireNonNull(e.getValue(), () -> "value of grouping label " + name));
    }
    return new GroupingKey(job, sorted);
  }

  /** This key with one more label. */
  public GroupingKey with(String name, String value) {
    TreeMap<String, String> copy = new TreeMap<>(labels);
    copy.put(name, value);
    return of(job, copy);
  }

  public String job() {
    return job;
  }

  /** The grouping labels (without {@code job}), sorted by name. */
  public SortedMap<String, String> labels() {
    return labels;
  }

  /**
   * The path below the gateway's base URL: {@code /metrics/job/<job>{/<label>/<value>}}. A value
   * that contains {@code /} or is empty uses the {@code <label>@base64/<base64url>} form the
   * Pushgateway defines (an empty value is {@code =}); other values are percent-encoded UTF-8.
   */
  public String path() {
    StringBuilder sb = new StringBuilder("/metrics");
    appendSegment(sb, "job", job);
    for (Map.Entry<String, String> e : labels.entrySet()) {
      appendSegment(sb, e.getKey(), e.getValue());
    }
    return sb.toString();
  }

  private static void appendSegment(StringBuilder sb, String name, String value) {
    if (value.isEmpty()) {
      sb.append('/').append(name).append("@base64/=");
    } else if (value.indexOf('/') >= 0 || value.equals(".") || value.equals("..")) {
      // "." and ".." would be removed by path cleaning on the way, so they travel as base64 too.
      sb.append('/').append(name).append("@base64/")
          .append(Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    } else {
      sb.append('/').append(name).append('/').append(percentEncode(value));
    }
  }

  /** RFC 3986 path-segment encoding: everything but unreserved characters is escaped. */
  static String percentEncode(String value) {
    StringBuilder sb = new StringBuilder(value.length());
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupingKey k && k.job.equals(job) && k.labels.equals(labels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(job, labels);
  }

  @Override
  public String toString() {
    return "job=" + job + (labels.isEmpty() ? "" : " " + labels);
  }
}
