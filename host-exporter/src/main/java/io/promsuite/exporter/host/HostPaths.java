package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.NoDataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the host's proc, sys and root file systems are (node_exporter's --path.procfs,
 * --path.sysfs, --path.rootfs), so tests run on fixture trees and containers on host mounts.
 */
public record HostPaths(Path procfs, Path sysfs, Path rootfs) {

  public static HostPaths system() {
    return new HostPaths(Path.of("/proc"), Path.of("/sys"), Path.of("/"));
  }

  public Path proc(String relative) {
    return procfs.resolve(relative);
  }

  public Path sys(String relative) {
    return sysfs.resolve(relative);
  }

  /** A path on the host's root file system ({@code /etc/os-release} -> rootfs/etc/os-release). */
  public Path root(String absolute) {
    return rootfs.resolve(absolute.startsWith("/") ? absolute.substring(1) : absolute);
  }

  /** Strips the rootfs prefix from a mount point seen through it, as node_exporter does. */
  public String stripRoot(String mountPoint) {
    String root = rootfs.toString();
    if (root.equals("/") || !mountPoint.startsWith(root)) {
      return mountPoint;
    }
    String rest = mountPoint.substring(root.length());
    return rest.isEmpty() ? "/" : rest;
  }

  /**
   * Reads a small pseudo-file whole; /proc files report size 0, so no size-based reads. Not
   * Files.readAllBytes: on a size-0 file it reads one byte first, and a /proc/sys file read again
   * at offset 1 returns end of file (JDK 25 returned "1" for /proc/sys/fs/file-nr).
   */
  static String read(Path file) throws IOException {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * {@code dir}, or a NoDataException saying {@code why} when it is not a directory: the kernel
   * has no such subsystem here, which node_exporter's collectors report as no data, not a failure.
   */
  static Path requireDirectory(Path dir, String why) throws NoDataException {
    if (!Files.isDirectory(dir)) {
      throw new NoDataException(why);
    }
    return dir;
  }

  /** {@code path}, or a NoDataException saying {@code why} when it does not exist (as {@link #requireDirectory}). */
  static Path requireExisting(Path path, String why) throws NoDataException {
    if (!Files.exists(path)) {
      throw new NoDataException(why);
    }
    return path;
  }

  /** {@link #read}, or a NoDataException saying {@code why} when the file does not exist (as {@link #requireDirectory}). */
  static String readOrNoData(Path file, String why) throws IOException, NoDataException {
    try {
      return read(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new NoDataException(why);
    }
  }

  /** A file holding one number ({@code /proc/sys/kernel/pid_max}); an error naming the file when it holds none. */
  static double readNumber(Path file) throws IOException {
    String line = readLine(file);
    try {
      return Double.parseDouble(line);
    } catch (NumberFormatException e) {
      throw new IOException(file + ": expected a number, got '" + line + "'");
    }
  }

  /** First line of a sysfs/procfs attribute, trimmed. */
  static String readLine(Path file) throws IOException {
    String s = read(file);
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).trim();
  }
}
