package io.promsuite.exporter.container;

import io.promsuite.exporter.common.web.TextFormat;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A {@link MetricSink} that writes the Prometheus text format 0.0.4 directly (families and label
 * names sorted as client_java sorts them, integral values without a fraction), so
 * the container families can be rendered, and gzipped, once per refresh instead of once per scrape.
 */
final class TextSink implements MetricSink {
  private final Map<String, FamilyText> families = new LinkedHashMap<>();
  private final Map<String, Integer> sizeHints;

  /**
   * The text as one gzip member, and its length uncompressed. Only the compressed form is kept:
   * Prometheus asks for gzip, and a client that does not gets it inflated on the way out.
   */
  record Rendered(byte[] gzip, int textLength) {}

  /** @param sizeHints bytes per family at the last render, updated by {@link #render} (pre-sizes the buffers) */
  TextSink(Map<String, Integer> sizeHints) {
    this.sizeHints = sizeHints;
  }

  @Override
  public Family gauge(String name, String help, String... labelNames) {
    return families.computeIfAbsent(name, n -> new FamilyText(n, help, "gauge", labelNames, sizeHints.getOrDefault(n, 4096)));
  }

  @Override
  public Family counter(String name, String help, String... labelNames) {
    return families.computeIfAbsent(name, n -> new FamilyText(n, help, "counter", labelNames, sizeHints.getOrDefault(n, 4096)));
  }

  @Override
  public Family info(String name, String help, String... labelNames) {
    throw new UnsupportedOperationException("no info metrics among the container families");
  }

  /** Compresses family by family, releasing each buffer as it goes, so the whole text never sits in memory. */
  Rendered render() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    long length = 0;
    try (GZIPOutputStream gz = fastGzip(out)) {
      // Sorted as client_java's registry sorts families: by name without a counter's _total.
      java.util.List<FamilyText> sorted = new java.util.ArrayList<>(families.values());
      sorted.sort(Comparator.comparing(f -> f.type.equals("counter") ? f.name.substring(0, f.name.length() - 6) : f.name));
      for (FamilyText f : sorted) {
        sizeHints.put(f.name, f.lines.length() + f.lines.length() / 8);
        String text = "# HELP " + f.name + ' ' + f.help + "\n# TYPE " + f.name + ' ' + f.type + '\n' + f.lines;
        f.lines = null;
        byte[] part = text.getBytes(StandardCharsets.UTF_8);
        gz.write(part);
        length += part.length;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Rendered(out.toByteArray(), Math.toIntExact(length));
  }

  static byte[] gzip(byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, text.length / 4));
    try (GZIPOutputStream gz = fastGzip(out)) {
      gz.write(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Level 1: a few times faster than the default for slightly larger output, paid on every refresh. */
  private static GZIPOutputStream fastGzip(ByteArrayOutputStream out) throws IOException {
    return new GZIPOutputStream(out, 64 * 1024) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    };
  }

  private static final class FamilyText implements Family {
    final String name;
    final String help;
    final String type;
    final String[] sortedNames;
    final int[] order;
    StringBuilder lines;

    FamilyText(String name, String help, String type, String[] labelNames, int capacity) {
      this.lines = new StringBuilder(capacity);
      this.name = name;
      this.help = help;
      this.type = type;
      Integer[] idx = new Integer[labelNames.length];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = i;
      }
      Arrays.sort(idx, Comparator.comparing(i -> labelNames[i]));
      this.order = Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
      this.sortedNames = Arrays.stream(idx).map(i -> labelNames[i]).toArray(String[]::new);
    }

    @Override
    public Family add(double value, String... labelValues) {
      if (labelValues.length != order.length) {
        throw new IllegalArgumentException(name + ": " + order.length + " label values expected, got " + labelValues.length);
      }
      StringBuilder sb = lines.append(name);
      if (order.length > 0) {
        sb.append('{');
        for (int i = 0; i < order.length; i++) {
          if (i > 0) {
            sb.append(',');
          }
          sb.append(sortedNames[i]).append("=\"");
          TextFormat.escapeLabelValue(sb, labelValues[order[i]]);
          sb.append('"');
        }
        sb.append('}');
      }
      sb.append(' ');
      if (value == (long) value && Math.abs(value) < 1e15) {
        sb.append((long) value);
      } else {
        sb.append(value);
      }
      sb.append('\n');
      return this;
    }

  }
}
