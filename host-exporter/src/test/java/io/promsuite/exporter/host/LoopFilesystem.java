package io.promsuite.exporter.host;

import io.promsuite.exporter.common.testing.RealParts;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real filesystem made by Debian's mkfs (mkfs.btrfs, mkfs.xfs) in a sparse image under a test's
 * temporary directory and loop-mounted there; unmounted (and the loop device freed) on close.
 * Needs root and loop devices: skipped without them, failing under CI=true.
 */
final class LoopFilesystem implements AutoCloseable {
  private final Path mountPoint;

  private LoopFilesystem(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  static LoopFilesystem mount(Path dir, String type) throws Exception {
    Path mkfs = RealParts.require("mkfs." + type);
    if (!RealParts.isRoot()) {
      RealParts.missing("mounting a loop " + type + " needs root");
    }
    Path image = dir.resolve(type + ".img");
    Path mnt = Files.createDirectories(dir.resolve(type + "-mnt"));
    run("truncate", "-s", "320M", image.toString());
    run(mkfs.toString(), "-q", image.toString());
    run("mount", "-o", "loop", image.toString(), mnt.toString());
    return new LoopFilesystem(mnt);
  }

  Path mountPoint() {
    return mountPoint;
  }

  /** The loop device's name (loop0...), as the exporters label it: other loop filesystems may be mounted. */
  String device() throws Exception {
    Process p = new ProcessBuilder("findmnt", "-n", "-o", "SOURCE", mountPoint.toString()).redirectErrorStream(true).start();
    String source = new String(p.getInputStream().readAllBytes()).strip();
    if (p.waitFor() != 0 || !source.startsWith("/dev/")) {
      throw new IllegalStateException("findmnt " + mountPoint + ": " + source);
    }
    return source.substring("/dev/".length());
  }

  /**
   * Unmounts; a mount another process still looks at (an exporter of a test running beside this
   * one statfs()es every mount point) is busy for a moment: tried again, then detached lazily so the
   * test's directory can go.
   */
  @Override
  public void close() throws Exception {
    for (int attempt = 0; attempt < 10; attempt++) {
      Process p = new ProcessBuilder("umount", mountPoint.toString()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() == 0) {
        return;
      }
      Thread.sleep(200);
    }
    run("umount", "--lazy", mountPoint.toString());
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      if (cmd[0].equals("mount")) {
        RealParts.missing("cannot mount a loop device here: " + out.strip());
      }
      throw new IllegalStateException(String.join(" ", cmd) + ": " + out.strip());
    }
  }
}
