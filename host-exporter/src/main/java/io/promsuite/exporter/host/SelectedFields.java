package io.promsuite.exporter.host;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The kernel counters a {@code --collector.<name>.fields} regex selects, with their family name and
 * help: the regex runs once per field name instead of on every scrape (netstat's ~300 names cost
 * 5.8 % of host-exporter's scrape CPU). The kernel's field names are a small fixed set.
 */
final class SelectedFields {
  /** A selected field's family. */
  record Metric(String name, String help) {}

  private static final Metric NOT_SELECTED = new Metric("", "");

  private final Pattern fields;
  private final Map<String, Metric> seen = new ConcurrentHashMap<>();

  SelectedFields(Pattern fields) {
    this.fields = fields;
  }

  /** The family of {@code field} when the regex finds a match in it ({@code describe} makes it once), else null. */
  Metric select(String field, Function<String, Metric> describe) {
    Metric m = seen.computeIfAbsent(field, f -> fields.matcher(f).find() ? describe.apply(f) : NOT_SELECTED);
    return m == NOT_SELECTED ? null : m;
  }
}
