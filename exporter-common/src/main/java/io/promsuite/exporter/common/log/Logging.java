package io.promsuite.exporter.common.log;

import java.time.Instant;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logging as the Go exporters do it: one line per event to stderr, logfmt or JSON, levels
 * debug/info/warn/error. Everything (our code, SLF4J libraries via slf4j-jdk14) goes through
 * java.util.logging. Structured fields: pass key/value pairs as the record's parameters, see
 * {@link #log}.
 */
public final class Logging {
  /** Chatty libraries kept at warn unless we are debugging. */
  private static final java.util.List<String> QUIET =
      java.util.List.of("com.github.dockerjava", "software.amazon.awssdk", "org.apache.hc");
  private static volatile Handler active;
  private static final java.util.List<Logger> QUIETED = new java.util.concurrent.CopyOnWriteArrayList<>();

  private Logging() {}

  /** Accepted values of --log.level. */
  public static Level parseLevel(String level) {
    return switch (level.toLowerCase(Locale.ROOT)) {
      case "debug" -> Level.FINE;
      case "info" -> Level.INFO;
      case "warn" -> Level.WARNING;
      case "error" -> Level.SEVERE;
      default -> throw new IllegalArgumentException(
          "'" + level + "' is not a log level (accepted: debug, info, warn, error)");
    };
  }

  /** Sets the root logger to write {@code format} (logfmt or json) at {@code level} to stderr. */
  public static void configure(String level, String format) {
    Level lvl = parseLevel(level);
    Formatter formatter = switch (format) {
      case "logfmt" -> new LineFormatter(false);
      case "json" -> new LineFormatter(true);
      default -> throw new IllegalArgumentException(
          "'" + format + "' is not a log format (accepted: logfmt, json)");
    };
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Handler handler = new NonBlockingHandler(System.err, formatter);
    handler.setLevel(lvl);
    root.addHandler(handler);
    active = handler;
    root.setLevel(lvl);
    // The web server's internals (Jetty): warnings only, even at debug, where they would be thousands of
    // lines a second under load; what a user needs from the web layer is logged by our own classes.
    Logger jetty = Logger.getLogger("org.eclipse.jetty");
    jetty.setLevel(Level.WARNING);
    QUIETED.add(jetty);
    if (lvl.intValue() > Level.FINE.intValue()) {
      for (String name : QUIET) {
        Logger l = Logger.getLogger(name);
        l.setLevel(Level.WARNING);
        // JUL holds loggers weakly: without this reference the level is lost at the next GC.
        QUIETED.add(l);
      }
    }
  }

  /** Logs {@code msg} with structured fields {@code k1, v1, k2, v2, ...}. */
  public static void log(Logger logger, Level level, String msg, Object... keyValues) {
    Handler h = active;
    // JUL's own shutdown hook resets the LogManager (handlers removed, levels back to INFO), and
    // shutdown hooks run in no set order: lines logged while shutting down go to our handler
    // directly, which only flushes on close.
    boolean detached = h != null && Logger.getLogger("").getHandlers().length == 0;
    if (detached ? !h.isLoggable(new LogRecord(level, "")) : !logger.isLoggable(level)) {
      return;
    }
    LogRecord r = new LogRecord(level, msg);
    r.setLoggerName(logger.getName());
    r.setParameters(keyValues);
    for (Object kv : keyValues) {
      if (kv instanceof Throwable t) {
        r.setThrown(t);
      }
    }
    if (detached) {
      h.publish(r);
    } else {
      logger.log(r);
    }
  }

  /** One line per record, logfmt ({@code ts=... level=info msg="..." k=v}) or JSON. */
  static final class LineFormatter extends Formatter {
    private final boolean json;

    LineFormatter(boolean json) {
      this.json = json;
    }

    @Override
    public String format(LogRecord r) {
      StringBuilder sb = new StringBuilder(160);
      String msg = r.getMessage();
      Object[] params = r.getParameters();
      boolean kv = params != null && params.length % 2 == 0 && params.length > 0 && params[0] instanceof String k
          && !msg.contains("{0}") && !k.isEmpty();
      if (!kv && params != null && params.length > 0) {
        msg = formatMessage(r);
      }
      field(sb, "ts", Instant.ofEpochMilli(r.getMillis()).toString(), true);
      field(sb, "level", levelName(r.getLevel()), false);
      if (r.getLoggerName() != null && !r.getLoggerName().isEmpty()) {
        String name = r.getLoggerName();
        field(sb, "caller", name.substring(name.lastIndexOf('.') + 1), false);
      }
      field(sb, "msg", msg, false);
      if (kv) {
        for (int i = 0; i < params.length; i += 2) {
          Object v = params[i + 1];
          field(sb, String.valueOf(params[i]), v instanceof Throwable t ? describe(t) : String.valueOf(v), false);
        }
      } else if (r.getThrown() != null) {
        field(sb, "err", describe(r.getThrown()), false);
      }
      if (json) {
        sb.insert(0, '{').append('}');
      }
      return sb.append('\n').toString();
    }

    private static String describe(Throwable t) {
      String m = t.getMessage();
      return m == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m;
    }

    private void field(StringBuilder sb, String key, String value, boolean first) {
      if (json) {
        if (!first) {
          sb.append(',');
        }
        sb.append('"').append(key).append("\":\"");
        escapeJson(sb, value);
        sb.append('"');
      } else {
        if (!first) {
          sb.append(' ');
        }
        sb.append(key).append('=');
        if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '=')) {
          sb.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        } else {
          sb.append(value);
        }
      }
    }

    private static void escapeJson(StringBuilder sb, String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> {
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
    }

    private static String levelName(Level l) {
      int v = l.intValue();
      if (v >= Level.SEVERE.intValue()) {
        return "error";
      } else if (v >= Level.WARNING.intValue()) {
        return "warn";
      } else if (v >= Level.INFO.intValue()) {
        return "info";
      }
      return "debug";
    }
  }
}
