package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code node_filesystem_*{device,fstype,mountpoint}} for the mounts of /proc/1/mounts that pass
 * node_exporter's mount-point and fs-type exclusions. Sizes come from statvfs ({@link Statvfs});
 * a mount whose statvfs fails reports only {@code device_error 1}, as node_exporter does. A mount
 * whose statvfs does not answer within --collector.filesystem.mount-timeout (a dead NFS server)
 * is reported with {@code device_error 1} and skipped, without a new call, until that call
 * returns, as node_exporter's stuck-mount watcher does; the other mounts are served meanwhile.
 * statvfs runs on platform threads: a call stuck in the kernel must not pin a virtual thread's
 * carrier, which the other collectors share.
 */
public final class FilesystemCollector implements Collector {
  public static final String DEFAULT_MOUNT_POINTS_EXCLUDE =
      "^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";
  public static final String DEFAULT_FS_TYPES_EXCLUDE =
      "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs"
          + "|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$";

  /** What statvfs does for a path; replaced in tests run on fixture trees. */
  @FunctionalInterface
  public interface StatFs {
    Statvfs.Stats stat(String path) throws IOException;
  }

  private final HostPaths paths;
  private final Pattern mountPointsExclude;
  private final Pattern fsTypesExclude;
  private final StatFs statfs;
  private final java.time.Duration mountTimeout;
  private final java.util.Set<String> stuck = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final java.util.concurrent.ExecutorService STATVFS = java.util.concurrent.Executors.newCachedThreadPool(
      Thread.ofPlatform().daemon().name("statvfs-", 0).factory());

  public FilesystemCollector(HostPaths paths, Pattern mountPointsExclude, Pattern fsTypesExclude) {
    this(paths, mountPointsExclude, fsTypesExclude, DEFAULT_MOUNT_TIMEOUT);
  }

  public FilesystemCollector(HostPaths paths, Pattern mountPointsExclude, Pattern fsTypesExclude,
      java.time.Duration mountTimeout) {
    this(paths, mountPointsExclude, fsTypesExclude, Statvfs::of, mountTimeout);
  }

  FilesystemCollector(HostPaths paths, Pattern mountPointsExclude, Pattern fsTypesExclude, StatFs statfs) {
    this(paths, mountPointsExclude, fsTypesExclude, statfs, DEFAULT_MOUNT_TIMEOUT);
  }

  FilesystemCollector(HostPaths paths, Pattern mountPointsExclude, Pattern fsTypesExclude, StatFs statfs,
      java.time.Duration mountTimeout) {
    this.paths = paths;
    this.mountPointsExclude = mountPointsExclude;
    this.fsTypesExclude = fsTypesExclude;
    this.statfs = statfs;
    this.mountTimeout = mountTimeout;
  }

  /** node_exporter's hidden --collector.filesystem.mount-timeout default. */
  public static final java.time.Duration DEFAULT_MOUNT_TIMEOUT = java.time.Duration.ofSeconds(5);

  @Override
  public void collect(MetricSink sink) throws Exception {
    String[] labels = {"device", "fstype", "mountpoint"};
    MetricSink.Family size = sink.gauge("node_filesystem_size_bytes", "Filesystem size in bytes.", labels);
    MetricSink.Family free = sink.gauge("node_filesystem_free_bytes", "Filesystem free space in bytes.", labels);
    MetricSink.Family avail = sink.gauge("node_filesystem_avail_bytes",
        "Filesystem space available to non-root users in bytes.", labels);
    MetricSink.Family files = sink.gauge("node_filesystem_files", "Filesystem total file nodes.", labels);
    MetricSink.Family filesFree = sink.gauge("node_filesystem_files_free", "Filesystem total free file nodes.",
        labels);
    MetricSink.Family readonly = sink.gauge("node_filesystem_readonly", "Filesystem read-only status.", labels);
    MetricSink.Family error = sink.gauge("node_filesystem_device_error",
        "Whether an error occurred while getting statistics for the given device.", labels);
    Set<String> seen = new HashSet<>();
    for (String line : Fields.lines(HostPaths.read(paths.proc("1/mounts")))) {
      List<String> f = Fields.split(line);
      if (f.size() < 4) {
        continue;
      }
      String device = unescape(f.get(0));
      String mountPoint = paths.stripRoot(unescape(f.get(1)));
      String fsType = f.get(2);
      if (mountPointsExclude.matcher(mountPoint).find() || fsTypesExclude.matcher(fsType).find()) {
        continue;
      }
      if (!seen.add(device + '\0' + mountPoint + '\0' + fsType)) {
        continue;
      }
      double ro = 0;
      for (String opt : f.get(3).split(",")) {
        if (opt.equals("ro")) {
          ro = 1;
        }
      }
      Statvfs.Stats s = stat(mountPoint);
      if (s == null) {
        error.add(1, device, fsType, mountPoint);
        continue;
      }
      error.add(0, device, fsType, mountPoint);
      size.add((double) s.blocks() * s.bsize(), device, fsType, mountPoint);
      free.add((double) s.bfree() * s.bsize(), device, fsType, mountPoint);
      avail.add((double) s.bavail() * s.bsize(), device, fsType, mountPoint);
      files.add(s.files(), device, fsType, mountPoint);
      filesFree.add(s.ffree(), device, fsType, mountPoint);
      readonly.add(ro, device, fsType, mountPoint);
    }
  }

  /** statvfs of a mount, or null when it failed, timed out now or is still stuck from before. */
  private Statvfs.Stats stat(String mountPoint) throws InterruptedException {
    if (stuck.contains(mountPoint)) {
      return null;
    }
    String path = paths.root(mountPoint).toString();
    java.util.concurrent.CompletableFuture<Statvfs.Stats> call = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return statfs.stat(path);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, STATVFS);
    // Runs once the call has completed, so a mark set after the timeout is always taken back.
    call.whenComplete((r, t) -> {
      if (stuck.remove(mountPoint)) {
        io.promsuite.exporter.common.log.Logging.log(LOG, java.util.logging.Level.INFO,
            "mount point has recovered, monitoring will resume", "mountpoint", mountPoint);
      }
    });
    try {
      return call.get(mountTimeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      stuck.add(mountPoint);
      if (call.isDone()) {
        // It answered between the timeout and the mark: not stuck after all.
        stuck.remove(mountPoint);
      }
      io.promsuite.exporter.common.log.Logging.log(LOG, java.util.logging.Level.WARNING,
          "mount point timed out, it is being labeled as stuck and will not be monitored", "mountpoint", mountPoint);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      // The scrape's deadline passed: the call goes on, and marks nothing.
      throw e;
    }
  }

  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(FilesystemCollector.class.getName());

  /** /proc/mounts escapes space, tab, newline and backslash as octal. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
  }
}
