package io.promsuite.exporter.common.collect;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Families rendered ahead of the scrape, for exporters whose data changes on a background refresh
 * rather than per scrape (container-exporter's containers, ml-model-exporter's models): the text
 * is rendered and gzipped once per refresh, and a text scrape only copies the bytes, whatever their
 * number. A collector hands it to {@link MetricSink#prerendered}. Only the gzip member is kept
 * (Prometheus asks for gzip; a client that does not gets it inflated on the way out), and the
 * writer is kept to build client_java snapshots for OpenMetrics and protobuf scrapes.
 */
public final class Prerendered {
  /** Characters of text encoded and compressed at a time. */
  private static final int CHUNK = 32 * 1024;

  private final Consumer<MetricSink> writer;
  private final Set<String> names;
  private final byte[] gzip;
  private final int textLength;

  private Prerendered(Consumer<MetricSink> writer, Set<String> names, byte[] gzip, int textLength) {
    this.writer = writer;
    this.names = names;
    this.gzip = gzip;
    this.textLength = textLength;
  }

  /**
   * Runs {@code writer} once and renders what it writes, families sorted by name as client_java
   * sorts them. {@code writer} must write the same families each time it is run: it is run again
   * for every OpenMetrics or protobuf scrape, so it should read data captured when it was made.
   */
  public static Prerendered render(Consumer<MetricSink> writer) {
    SnapshotSink sink = new SnapshotSink();
    writer.accept(sink);
    if (!sink.prerendered().isEmpty()) {
      throw new IllegalArgumentException("pre-rendered families cannot nest");
    }
    List<SnapshotSink.Family> sorted = new ArrayList<>(sink.families());
    sorted.sort(Comparator.comparing(SnapshotSink.Family::sortKey));
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    long length = 0;
    Set<String> names = new java.util.HashSet<>();
    try (GZIPOutputStream gz = fastGzip(out)) {
      StringBuilder sb = new StringBuilder(CHUNK + 1024);
      long[] written = {0};
      for (SnapshotSink.Family f : sorted) {
        names.add(f.name);
        sb.setLength(0);
        // In pieces: a family-sized StringBuilder, String and byte[] (megabytes for 500
        // containers) would go straight to the old generation of a small heap.
        f.writeText(sb, CHUNK, piece -> {
          byte[] part = piece.toString().getBytes(StandardCharsets.UTF_8);
          gz.write(part);
          written[0] += part.length;
        });
      }
      length = written[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Prerendered(writer, Set.copyOf(names), out.toByteArray(), Math.toIntExact(length));
  }

  /** The exposed names of the families (counters with {@code _total}). */
  public Set<String> names() {
    return names;
  }

  /** The text as one gzip member; members concatenate into one valid gzip stream (RFC 1952). */
  public byte[] gzip() {
    return gzip;
  }

  /** The length of the text, uncompressed. */
  public int textLength() {
    return textLength;
  }

  /** Writes the text, uncompressed. */
  public void writeText(OutputStream out) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), 64 * 1024)) {
      in.transferTo(out);
    }
  }

  /** Writes the same families again into {@code sink}, for the formats the text does not serve. */
  public void replay(MetricSink sink) {
    writer.accept(sink);
  }

  /** {@code text} as one gzip member. */
  public static byte[] gzip(byte[] text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, text.length / 4));
    try (GZIPOutputStream gz = fastGzip(out)) {
      gz.write(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Level 1: a few times faster than the default for slightly larger output. */
  private static GZIPOutputStream fastGzip(ByteArrayOutputStream out) throws IOException {
    return new GZIPOutputStream(out, 64 * 1024) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    };
  }
}
