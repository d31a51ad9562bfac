package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** node_exporter's {@code tapestats} collector: I/O statistics of SCSI tape drives from /sys/class/scsi_tape. */
public final class TapestatsCollector implements Collector {
  public static final String DEFAULT_IGNORED_DEVICES = "^$";
  private static final Pattern TAPE = Pattern.compile("^st[0-9]+$");
  private static final List<String> FILES = List.of("in_flight", "io_ns", "other_cnt", "read_byte_cnt", "read_cnt",
      "read_ns", "resid_cnt", "write_byte_cnt", "write_cnt", "write_ns");

  private final HostPaths paths;
  private final Pattern ignored;

  public TapestatsCollector(HostPaths paths, Pattern ignored) {
    this.paths = paths;
    this.ignored = ignored;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path base = paths.sys("class/scsi_tape");
    HostPaths.requireDirectory(base, "scsi_tape stats not found: " + base);
    Map<String, double[]> tapes = new LinkedHashMap<>();
    for (Path dir : Sysfs.list(base)) {
      if (TAPE.matcher(Sysfs.name(dir)).matches()) {
        Path stats = dir.resolve("stats");
        HostPaths.requireDirectory(stats, "scsi_tape stats not found: " + stats);
        tapes.put(Sysfs.name(dir), counters(stats));
      }
    }
    for (Map.Entry<String, double[]> t : tapes.entrySet()) {
      String tape = t.getKey();
      if (ignored.matcher(tape).find()) {
        continue;
      }
      double[] c = t.getValue();
      sink.gauge("node_tape_io_now", "The number of I/Os currently outstanding to this device.", "device")
          .add(c[0], tape);
      sink.counter("node_tape_io_time_seconds_total", "The amount of time spent waiting for all I/O to complete"
          + " (including read and write). This includes tape movement commands such as seeking between file or set"
          + " marks and implicit tape movement such as when rewind on close tape devices are used.", "device")
          .add(c[1] * 0.000000001, tape);
      sink.counter("node_tape_io_others_total", "The number of I/Os issued to the tape drive other than read or write"
          + " commands. The time taken to complete these commands uses the following calculation"
          + " io_time_seconds_total-read_time_seconds_total-write_time_seconds_total", "device").add(c[2], tape);
      sink.counter("node_tape_read_bytes_total", "The number of bytes read from the tape drive.", "device")
          .add(c[3], tape);
      sink.counter("node_tape_reads_completed_total", "The number of read requests issued to the tape drive.", "device")
          .add(c[4], tape);
      sink.counter("node_tape_read_time_seconds_total", "The amount of time spent waiting for read requests to complete.",
          "device").add(c[5] * 0.000000001, tape);
      sink.counter("node_tape_residual_total", "The number of times during a read or write we found the residual amount"
          + " to be non-zero. This should mean that a program is issuing a read larger thean the block size on tape."
          + " For write not all data made it to tape.", "device").add(c[6], tape);
      sink.counter("node_tape_written_bytes_total", "The number of bytes written to the tape drive.", "device")
          .add(c[7], tape);
      sink.counter("node_tape_writes_completed_total", "The number of write requests issued to the tape drive.",
          "device").add(c[8], tape);
      sink.counter("node_tape_write_time_seconds_total",
          "The amount of time spent waiting for write requests to complete.", "device").add(c[9] * 0.000000001, tape);
    }
  }

  /** The statistics files in {@link #FILES} order; an absent one reads 0. */
  private static double[] counters(Path stats) throws IOException {
    double[] out = new double[FILES.size()];
    for (Path f : Sysfs.list(stats)) {
      String value = Sysfs.attribute(f);
      int i = FILES.indexOf(Sysfs.name(f));
      if (i < 0) {
        continue;
      }
      Long v = GoNumbers.parseUint(value);
      if (v == null) {
        // node_exporter 1.5 crashes here; a bad drive only fails this collector.
        throw new IOException(f + ": not an unsigned integer: '" + value + "'");
      }
      out[i] = v < 0 ? v + 0x1p64 : v;
    }
    return out;
  }
}
