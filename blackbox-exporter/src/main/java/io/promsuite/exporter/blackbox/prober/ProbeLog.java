package io.promsuite.exporter.blackbox.prober;

import io.promsuite.exporter.common.log.Logging;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The log of one probe: kept as logfmt lines for {@code debug=true} (as blackbox_exporter's
 * scrape logger does) and forwarded to the exporter's log at debug level. An {@code err} value
 * never carries a Java exception class name.
 */
public final class ProbeLog {
  private static final Logger LOG = Logger.getLogger("io.promsuite.exporter.blackbox.probe");
  private record Entry(long epochMillis, String level, String msg, Object[] kv) {}

  // Formatted only when asked for (debug=true): most probes never show their log.
  private final java.util.List<Entry> entries = new java.util.ArrayList<>();
  private final String module;
  private final String target;

  public ProbeLog(String module, String target) {
    this.module = module;
    this.target = target;
  }

  public void info(String msg, Object... kv) {
    write("info", msg, kv);
  }

  public void debug(String msg, Object... kv) {
    write("debug", msg, kv);
  }

  public void warn(String msg, Object... kv) {
    write("warn", msg, kv);
  }

  public void error(String msg, Object... kv) {
    write("error", msg, kv);
  }

  /** A Java exception class name with its colon, qualified ({@code sun.security...Exception: }) or not. */
  private static final Pattern CLASS_NAME = Pattern.compile(
      "(?:\\b[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:? ?|\\b[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ");

  /** {@code err} without exception class names: the log says what went wrong, not which Java class said so. */
  static String withoutClassNames(String err) {
    String s = CLASS_NAME.matcher(err).replaceAll("").strip();
    return s.isEmpty() ? "failed" : s;
  }

  private void write(String level, String msg, Object[] kv) {
    for (int i = 0; i + 1 < kv.length; i += 2) {
      if ("err".equals(kv[i]) && kv[i + 1] != null) {
        kv[i + 1] = withoutClassNames(String.valueOf(kv[i + 1]));
      }
    }
    synchronized (entries) {
      entries.add(new Entry(System.currentTimeMillis(), level, msg, kv));
    }
    if (!LOG.isLoggable(Level.FINE)) {
      return;
    }
    Object[] fields = new Object[kv.length + 4];
    fields[0] = "module";
    fields[1] = module;
    fields[2] = "target";
    fields[3] = target;
    System.arraycopy(kv, 0, fields, 4, kv.length);
    Logging.log(LOG, Level.FINE, msg, fields);
  }

  private static String quote(String s) {
    if (!s.isEmpty() && s.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\')) {
      return s;
    }
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + '"';
  }

  public String text() {
    StringBuilder out = new StringBuilder();
    synchronized (entries) {
      for (Entry e : entries) {
        out.append("ts=").append(Instant.ofEpochMilli(e.epochMillis()).truncatedTo(ChronoUnit.MILLIS))
            .append(" module=").append(quote(module)).append(" target=").append(quote(target))
            .append(" level=").append(e.level()).append(" msg=").append(quote(e.msg()));
        for (int i = 0; i + 1 < e.kv().length; i += 2) {
          out.append(' ').append(e.kv()[i]).append('=').append(quote(String.valueOf(e.kv()[i + 1])));
        }
        out.append('\n');
      }
    }
    return out.toString();
  }
}
