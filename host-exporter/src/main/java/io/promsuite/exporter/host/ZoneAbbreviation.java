package io.promsuite.exporter.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.zone.ZoneRules;
import java.util.Map;

/**
 * The zone abbreviation Go's {@code time.Now().Zone()} gives node_exporter's {@code time_zone}
 * label ("CET", "CEST", "IST", "-03"): read, as Go reads it, from the TZif file of the local zone
 * ({@code $TZ} in /usr/share/zoneinfo, or /etc/localtime), since the JDK's zone data carries offsets
 * but no abbreviations. The JDK's rules say whether daylight saving is in force for an instant after
 * the file's last transition, where the file's POSIX TZ footer names both.
 */
final class ZoneAbbreviation {
  private static final String[] ZONEINFO_DIRS = {"/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/", "/usr/lib/locale/TZ/",
      "/etc/zoneinfo/"};

  private final long[] transitions;
  private final int[] types;
  private final String[] abbreviations;
  private final boolean[] dst;
  private final String stdName;
  private final String dstName;

  private ZoneAbbreviation(long[] transitions, int[] types, String[] abbreviations, boolean[] dst, String footer) {
    this.transitions = transitions;
    this.types = types;
    this.abbreviations = abbreviations;
    this.dst = dst;
    String[] names = footerNames(footer);
    this.stdName = names[0];
    this.dstName = names[1];
  }

  /**
   * The local zone's file as Go finds it: {@code $TZ} unset, /etc/localtime; {@code TZ=""}, UTC
   * (null: no file); an absolute path, that file; a name, the first zoneinfo directory holding it.
   */
  static Path localZoneFile(Map<String, String> env) {
    String tz = env.get("TZ");
    if (tz == null) {
      return Path.of("/etc/localtime");
    }
    if (tz.startsWith(":")) {
      tz = tz.substring(1);
    }
    if (tz.isEmpty() || tz.equals("UTC")) {
      return null;
    }
    if (tz.startsWith("/")) {
      return Path.of(tz);
    }
    String zoneinfo = env.get("ZONEINFO");
    if (zoneinfo != null && Files.isRegularFile(Path.of(zoneinfo, tz))) {
      return Path.of(zoneinfo, tz);
    }
    for (String dir : ZONEINFO_DIRS) {
      Path p = Path.of(dir + tz);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /** The file's abbreviations, or null when it is not a TZif file. */
  static ZoneAbbreviation read(Path file) throws IOException {
    byte[] data = Files.readAllBytes(file);
    try {
      return parse(ByteBuffer.wrap(data));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static ZoneAbbreviation parse(ByteBuffer b) {
    if (b.remaining() < 44 || b.getInt(0) != 0x545a6966) { // "TZif"
      return null;
    }
    int version = b.get(4);
    int[] counts = counts(b, 0);
    if (version == 0) {
      return block(b, 44, counts, 4, null);
    }
    // Version 2 and later: the 32-bit block, then a second header with a 64-bit block and a footer.
    int v1 = 44 + counts[3] * 5 + counts[4] * 6 + counts[5] + counts[2] * 8 + counts[1] + counts[0];
    int[] counts2 = counts(b, v1);
    int start = v1 + 44;
    int end = start + counts2[3] * 9 + counts2[4] * 6 + counts2[5] + counts2[2] * 12 + counts2[1] + counts2[0];
    String footer = null;
    if (end < b.limit() && b.get(end) == '\n') {
      int close = end + 1;
      while (close < b.limit() && b.get(close) != '\n') {
        close++;
      }
      footer = new String(b.array(), end + 1, close - end - 1, StandardCharsets.US_ASCII);
    }
    return block(b, start, counts2, 8, footer);
  }

  /** isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt of the header at {@code at}. */
  private static int[] counts(ByteBuffer b, int at) {
    if (b.getInt(at) != 0x545a6966) {
      throw new IllegalArgumentException("not a TZif header");
    }
    int[] c = new int[6];
    for (int i = 0; i < 6; i++) {
      c[i] = b.getInt(at + 20 + 4 * i);
      if (c[i] < 0 || c[i] > 1 << 16) {
        throw new IllegalArgumentException("TZif count out of range");
      }
    }
    return c;
  }

  private static ZoneAbbreviation block(ByteBuffer b, int at, int[] c, int timeSize, String footer) {
    int timecnt = c[3];
    int typecnt = c[4];
    int charcnt = c[5];
    long[] transitions = new long[timecnt];
    for (int i = 0; i < timecnt; i++) {
      transitions[i] = timeSize == 8 ? b.getLong(at + 8 * i) : b.getInt(at + 4 * i);
    }
    int idx = at + timecnt * timeSize;
    int[] types = new int[timecnt];
    for (int i = 0; i < timecnt; i++) {
      types[i] = b.get(idx + i) & 0xff;
    }
    int tt = idx + timecnt;
    int chars = tt + typecnt * 6;
    String[] abbreviations = new String[typecnt];
    boolean[] dst = new boolean[typecnt];
    for (int i = 0; i < typecnt; i++) {
      dst[i] = b.get(tt + 6 * i + 4) != 0;
      int from = chars + (b.get(tt + 6 * i + 5) & 0xff);
      int to = from;
      while (to < chars + charcnt && b.get(to) != 0) {
        to++;
      }
      abbreviations[i] = new String(b.array(), from, to - from, StandardCharsets.US_ASCII);
    }
    return new ZoneAbbreviation(transitions, types, abbreviations, dst, footer);
  }

  /** The standard and daylight-saving names of a POSIX TZ string ("CET-1CEST,M3.5.0,M10.5.0/3", "<-03>3"); null where absent. */
  static String[] footerNames(String footer) {
    String[] out = new String[2];
    if (footer == null || footer.isEmpty()) {
      return out;
    }
    int i = 0;
    for (int n = 0; n < 2 && i < footer.length(); n++) {
      int start;
      int end;
      if (footer.charAt(i) == '<') {
        start = i + 1;
        end = footer.indexOf('>', start);
        if (end < 0) {
          return out;
        }
        i = end + 1;
      } else {
        start = i;
        while (i < footer.length() && Character.isLetter(footer.charAt(i))) {
          i++;
        }
        end = i;
      }
      if (end - start < 3) {
        return out;
      }
      out[n] = footer.substring(start, end);
      // The offset after the name.
      while (i < footer.length() && "+-0123456789:".indexOf(footer.charAt(i)) >= 0) {
        i++;
      }
      if (i < footer.length() && footer.charAt(i) == ',') {
        break;
      }
    }
    return out;
  }

  /** The abbreviation in force at {@code t}; {@code rules} (the same zone's) say whether that is daylight-saving time. */
  String at(Instant t, ZoneRules rules) {
    long s = t.getEpochSecond();
    int n = transitions.length;
    if (n == 0 || s >= transitions[n - 1]) {
      boolean summer = rules.isDaylightSavings(t);
      String fromFooter = summer ? dstName : stdName;
      if (fromFooter != null) {
        return fromFooter;
      }
      if (n == 0) {
        return abbreviations.length == 0 ? null : abbreviations[0];
      }
      return abbreviations[types[n - 1]];
    }
    if (s < transitions[0]) {
      // Before the first transition Go uses the first standard-time type.
      for (int i = 0; i < abbreviations.length; i++) {
        if (!dst[i]) {
          return abbreviations[i];
        }
      }
      return abbreviations[0];
    }
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (transitions[mid] <= s) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return abbreviations[types[lo]];
  }
}
