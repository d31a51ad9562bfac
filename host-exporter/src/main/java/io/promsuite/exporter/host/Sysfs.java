package io.promsuite.exporter.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads sysfs attributes and directories as node_exporter's procfs library does: one read of at
 * most 128 bytes (broken hwmon drivers answer EAGAIN forever to a read loop), whitespace trimmed;
 * entries sorted by name as Go's os.ReadDir gives them.
 */
final class Sysfs {
  private static final int ATTRIBUTE_BYTES = 128;

  private Sysfs() {}

  /** The attribute's trimmed text from a single bounded read. */
  static String attribute(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file)) {
      ByteBuffer buf = ByteBuffer.allocate(ATTRIBUTE_BYTES);
      int n = ch.read(buf);
      return n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.UTF_8).strip();
    }
  }

  /** A decimal integer attribute (strconv.ParseInt base 10); a malformed one is an error naming the file. */
  static long attributeLong(Path file) throws IOException {
    return parseLong(file, attribute(file));
  }

  /** The whole file, trimmed, as a decimal integer (procfs' ReadIntFromFile). */
  static long readLong(Path file) throws IOException {
    return parseLong(file, HostPaths.read(file).strip());
  }

  /** The whole file, trimmed, as an unsigned decimal integer (procfs' ReadUintFromFile). */
  static double readUnsigned(Path file) throws IOException {
    String text = HostPaths.read(file).strip();
    Double v = GoNumbers.parseUint10(text);
    if (v == null) {
      throw new IOException(file + ": not an unsigned integer: '" + text + "'");
    }
    return v;
  }

  static long parseLong(Path file, String text) throws IOException {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException(file + ": not an integer: '" + text + "'");
    }
  }

  /**
   * The attribute, or null when the device does not offer it now: absent, unreadable, or the
   * driver refuses the read (EINVAL for the speed of a link that is down, EOPNOTSUPP).
   */
  static String optionalAttribute(Path file) throws IOException {
    return optionalAttribute(file, true);
  }

  /** As above; with {@code deniedIsAbsent} false a permission error is an error, as node_exporter has it for some classes. */
  static String optionalAttribute(Path file, boolean deniedIsAbsent) throws IOException {
    try {
      return attribute(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (AccessDeniedException e) {
      if (deniedIsAbsent) {
        return null;
      }
      throw e;
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      if (m.contains("Invalid argument") || m.contains("Operation not supported") || m.contains("No such device")) {
        return null;
      }
      throw e;
    }
  }

  /**
   * The named attributes of {@code dir} that can be read now (see {@link #optionalAttribute}): the
   * files a collector uses, opened directly, without listing the directory and stat-ing each entry.
   */
  static Map<String, String> attributes(Path dir, Iterable<String> names) throws IOException {
    Map<String, String> out = new HashMap<>();
    for (String n : names) {
      String value;
      try {
        value = optionalAttribute(dir.resolve(n));
      } catch (IOException e) {
        // A directory where an attribute was expected is not an attribute.
        if (String.valueOf(e.getMessage()).contains("Is a directory")) {
          continue;
        }
        throw e;
      }
      if (value != null) {
        out.put(n, value);
      }
    }
    return out;
  }

  /** Every regular attribute file of {@code dir} that can be read now, by file name (see {@link #optionalAttribute}). */
  static Map<String, String> attributes(Path dir, boolean deniedIsAbsent) throws IOException {
    Map<String, String> out = new HashMap<>();
    for (Path f : list(dir)) {
      if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        String value = optionalAttribute(f, deniedIsAbsent);
        if (value != null) {
          out.put(name(f), value);
        }
      }
    }
    return out;
  }

  /** Entries of {@code dir} sorted by name (as Go's os.ReadDir), or none when it does not exist. */
  static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(out::add);
    } catch (NoSuchFileException e) {
      return out;
    }
    out.sort(null);
    return out;
  }

  /**
   * Entries of {@code dir} named {@code prefix} and a digit, then anything (Go's filepath.Glob of
   * {@code prefix[0-9]*}), sorted; none when {@code dir} does not exist.
   */
  static List<Path> glob(Path dir, String prefix) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : list(dir)) {
      String n = name(p);
      if (n.length() > prefix.length() && n.startsWith(prefix) && n.charAt(prefix.length()) >= '0'
          && n.charAt(prefix.length()) <= '9') {
        out.add(p);
      }
    }
    return out;
  }

  static String name(Path p) {
    return p.getFileName().toString();
  }
}
