package io.promsuite.exporter.container.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a container's usage straight from the cgroup filesystem mounted at a root given as a
 * parameter (so tests run on fixture trees), in v1 or v2 layout.
 */
public interface CgroupReader {

  /** Reads the cgroup at {@code cgroupPath} (e.g. {@code /docker/<id>}); network from /proc/{pid}/net/dev. */
  Usage read(String cgroupPath, long pid) throws IOException;

  /** The container's cgroup path as /proc/{pid}/cgroup gives it, or null when the process is gone. */
  String locate(long pid) throws IOException;

  /** "v1" or "v2". */
  String version();

  /**
   * Picks the layout of {@code cgroupRoot}: v2 when {@code cgroup.controllers} sits at its top
   * (the unified hierarchy), v1 when controller directories such as {@code memory} do.
   *
   * @throws IOException naming the root when it is neither
   */
  static CgroupReader detect(Path cgroupRoot, Path procRoot, Path sysRoot, HostFiles.Options options)
      throws IOException {
    if (Files.isRegularFile(cgroupRoot.resolve("cgroup.controllers"))) {
      return new CgroupV2Reader(cgroupRoot, new HostFiles(procRoot, sysRoot, options));
    }
    if (Files.isDirectory(cgroupRoot.resolve("memory")) || Files.isDirectory(cgroupRoot.resolve("cpuacct"))
        || Files.isDirectory(cgroupRoot.resolve("cpu,cpuacct"))) {
      return new CgroupV1Reader(cgroupRoot, new HostFiles(procRoot, sysRoot, options));
    }
    throw new IOException(cgroupRoot + " is not a cgroup v1 or v2 mount (no cgroup.controllers, no memory/ or cpuacct/)");
  }
}
