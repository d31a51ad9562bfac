package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * node_exporter's {@code mdadm} collector: state, disks and sync progress of Linux software RAID
 * arrays from /proc/mdstat.
 */
public final class MdadmCollector implements Collector {
  private static final Pattern STATUS = Pattern.compile("(\\d+) blocks .*\\[(\\d+)/(\\d+)\\] \\[([U_]+)\\]");
  private static final Pattern RECOVERY_BLOCKS = Pattern.compile("\\((\\d+)/\\d+\\)");
  private static final Pattern RECOVERY_PCT = Pattern.compile("= (.+)%");
  private static final Pattern RECOVERY_FINISH = Pattern.compile("finish=(.+)min");
  private static final Pattern RECOVERY_SPEED = Pattern.compile("speed=(.+)[A-Z]");
  private static final String[] STATES = {"active", "inactive", "recovering", "resync", "check"};
  private static final String[] ACTIVITIES = {"active", "inactive", "recovering", "resyncing", "checking"};

  /** One array as /proc/mdstat describes it. */
  record Array(String name, String activity, long disksActive, long disksTotal, long disksFailed, long disksSpare,
      long blocks, long blocksSynced) {}

  private final HostPaths paths;

  public MdadmCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Path file = paths.proc("mdstat");
    String text = HostPaths.readOrNoData(file, "Not collecting mdstat, " + file + " does not exist");
    for (Array a : parse(file, text)) {
      sink.gauge("node_md_disks_required", "Total number of disks of device.", "device").add(a.disksTotal(), a.name());
      sink.gauge("node_md_disks", "Number of active/failed/spare disks of device.", "device", "state")
          .add(a.disksActive(), a.name(), "active").add(a.disksFailed(), a.name(), "failed")
          .add(a.disksSpare(), a.name(), "spare");
      MetricSink.Family state = sink.gauge("node_md_state", "Indicates the state of md-device.", "device", "state");
      for (int i = 0; i < STATES.length; i++) {
        state.add(a.activity().equals(ACTIVITIES[i]) ? 1 : 0, a.name(), STATES[i]);
      }
      sink.gauge("node_md_blocks", "Total number of blocks on device.", "device").add(a.blocks(), a.name());
      sink.gauge("node_md_blocks_synced", "Number of blocks synced on device.", "device").add(a.blocksSynced(), a.name());
    }
  }

  static List<Array> parse(Path file, String text) throws IOException {
    List<Array> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.charAt(0) == ' ' || line.startsWith("Personalities") || line.startsWith("unused")) {
        continue;
      }
      List<String> fields = Fields.split(line);
      if (fields.size() < 3) {
        throw new IOException(file + ":" + (i + 1) + ": not enough fields in md line (expected at least 3): " + line);
      }
      String name = fields.get(0);
      String activity = fields.get(2);
      if (lines.length <= i + 3) {
        throw new IOException(file + ": too few lines for md device " + name);
      }
      long failed = count(line, "(F)");
      long spare = count(line, "(S)");
      long[] status = status(file, i + 2, line, lines[i + 1]);
      int syncIdx = lines[i + 2].contains("bitmap") ? i + 3 : i + 2;
      String sync = lines[syncIdx];
      long synced = status[3];
      boolean recovering = sync.contains("recovery");
      boolean resyncing = sync.contains("resync");
      boolean checking = sync.contains("check");
      if (recovering || resyncing || checking) {
        activity = recovering ? "recovering" : checking ? "checking" : "resyncing";
        synced = sync.contains("PENDING") || sync.contains("DELAYED") ? 0 : recoveredBlocks(file, syncIdx + 1, sync);
      }
      out.add(new Array(name, activity, status[0], status[1], failed, spare, status[3], synced));
    }
    return out;
  }

  /** {active, total, down, size} from the device line and the status line below it. */
  private static long[] status(Path file, int lineNo, String deviceLine, String statusLine) throws IOException {
    List<String> f = Fields.split(statusLine);
    if (f.isEmpty()) {
      throw new IOException(file + ":" + lineNo + ": unexpected status line '" + statusLine + "'");
    }
    long size = Sysfs.parseLong(file, f.get(0));
    if (deviceLine.contains("raid0") || deviceLine.contains("linear")) {
      long total = count(deviceLine, "[");
      return new long[] {total, total, 0, size};
    }
    if (deviceLine.contains("inactive")) {
      return new long[] {0, 0, 0, size};
    }
    Matcher m = STATUS.matcher(statusLine);
    if (!m.find()) {
      throw new IOException(file + ":" + lineNo + ": disks not found in status line '" + statusLine + "'");
    }
    return new long[] {Sysfs.parseLong(file, m.group(3)), Sysfs.parseLong(file, m.group(2)), count(m.group(4), "_"),
        size};
  }

  /** Blocks done of a running resync/recovery/check; the rest of the line must parse too. */
  private static long recoveredBlocks(Path file, int lineNo, String line) throws IOException {
    Matcher blocks = RECOVERY_BLOCKS.matcher(line);
    if (!blocks.find()) {
      throw new IOException(file + ":" + lineNo + ": unexpected recovery line '" + line + "'");
    }
    long synced = Sysfs.parseLong(file, blocks.group(1));
    for (Pattern p : new Pattern[] {RECOVERY_PCT, RECOVERY_FINISH, RECOVERY_SPEED}) {
      Matcher m = p.matcher(line);
      String value = m.find() ? (p == RECOVERY_PCT ? m.group(1).strip() : m.group(1)) : null;
      if (value == null || GoNumbers.parseFloat(value) == null) {
        throw new IOException(file + ":" + lineNo + ": unexpected recovery line '" + line + "'");
      }
    }
    return synced;
  }

  private static long count(String s, String sub) {
    long n = 0;
    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
      n++;
    }
    return n;
  }
}
