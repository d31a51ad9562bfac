package io.promsuite.exporter.container;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.cli.Flags;
import io.promsuite.exporter.common.log.Logging;
import io.promsuite.exporter.container.source.CgroupReader;
import io.promsuite.exporter.container.source.ContainerInfo;
import io.promsuite.exporter.container.source.DockerSource;
import io.promsuite.exporter.container.source.HostFiles;
import io.promsuite.exporter.container.source.MetricGroups;
import io.promsuite.exporter.container.source.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * cAdvisor-compatible container metrics: discovers Docker containers through the Engine API and
 * reads their usage from the cgroup filesystem or the Engine stats API in the background.
 */
public final class ContainerExporter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ContainerExporter.class.getName());
  static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
  // docker-java logs every ended event stream at error level; the catalog handles and logs it.
  private static final Logger DOCKER_CALLBACKS = Logger.getLogger("com.github.dockerjava.api.async.ResultCallbackTemplate");

  private DockerSource docker;
  private HostFiles host;
  private ContainerCatalog catalog;
  private String sourceName;

  public static void main(String[] args) {
    Exporter.main("container-exporter", () -> new ContainerExporter().builder(), args);
  }

  /** The exporter's declaration; {@code start(args)} in tests, {@code run(args)} in main. */
  public Exporter.Builder builder() {
    String envHost = System.getenv("DOCKER_HOST");
    String envCerts = System.getenv("DOCKER_CERT_PATH");
    String envVerify = System.getenv("DOCKER_TLS_VERIFY");
    return Exporter.builder("container-exporter", "container")
        .defaultListenAddress(":8080")
        // The catalog and the Docker client the collectors make are the framework's to close.
        .setup(ctx -> ctx.onClose(this))
        .description("Per-container CPU, memory, network and block I/O metrics of Docker containers, named as cAdvisor names them.")
        .flags(f -> f
            .string("docker.host", envHost == null || envHost.isEmpty() ? DEFAULT_DOCKER_HOST : envHost,
                "Docker daemon: unix:///path/to/docker.sock or tcp://host:port (DOCKER_HOST).")
            .bool("docker.tls-verify", envVerify != null && !envVerify.isEmpty() && !envVerify.equals("0"),
                "Use TLS with client certificates for a tcp:// daemon (DOCKER_TLS_VERIFY).")
            .string("docker.cert-path", envCerts == null ? "" : envCerts,
                "Directory with ca.pem, cert.pem and key.pem for --docker.tls-verify (DOCKER_CERT_PATH; default ~/.docker).")
            .string("docker.timeout", "5s", "Timeout of one Docker API call.")
            .string("docker.resync-interval", "10s", "Full container list refresh interval; events update the list in between.")
            .string("source", "auto", "Where usage is read: docker (Engine stats API), cgroup (cgroup filesystem) or auto "
                + "(cgroup when the daemon is local and the cgroup filesystem is readable). One of: [auto, docker, cgroup]")
            .string("housekeeping.interval", "", "Interval between usage refreshes (default 1s for cgroup, 10s for docker).")
            .string("housekeeping.fs-interval", "1m",
                "Interval between container_fs_usage_bytes refreshes (the daemon walks each writable layer); 0 turns them off.")
            .string("housekeeping.concurrency", "16", "Stats API calls in flight at once during a usage refresh (the cgroup source reads one container after the other).")
            .string("path.procfs", "/proc", "procfs mountpoint (per-container network counters, cgroup paths, task states).")
            .string("path.sysfs", "/sys", "sysfs mountpoint (block device names).")
            .string("path.cgroupfs", "/sys/fs/cgroup", "cgroup filesystem mountpoint (v1 or v2).")
            .string("path.rootfs", "/", "Host root filesystem (machine_id from etc/machine-id).")
            .repeatable("container.label-allowlist",
                "Docker label exported as container_label_<sanitised key>; comma-separated and repeatable. Others are dropped to bound cardinality.")
            .bool("container.percpu", true, "Export container_cpu_usage_seconds_total per CPU (cpu=\"cpuNN\") where the source has it; else cpu=\"total\".")
            .bool("container.task-states", true, "Export container_tasks_state from /proc (cgroup source only).")
            .string("container.disable-metrics", MetricGroups.DEFAULT_DISABLED,
                "Comma-separated cAdvisor metric groups not to serve (cAdvisor's --disable_metrics). Groups: "
                    + String.join(",", MetricGroups.ALL) + ".")
            .string("container.enable-metrics", "",
                "Comma-separated cAdvisor metric groups to serve; when set it overrides --container.disable-metrics "
                    + "(cAdvisor's --enable_metrics).")
            .string("container.referenced-reset-interval", "0",
                "Readings of a container after which the referenced bits of its processes' pages are cleared "
                    + "(writes 1 to /proc/PID/clear_refs; referenced_memory group; cAdvisor's --referenced_reset_interval). "
                    + "0 never clears them.")
            .string("network.ignored-interfaces", "^(lo|veth|docker|nerdctl).*",
                "Regexp of interfaces left out of container_network_* (cAdvisor leaves out lo, veth*, docker*)."))
        .collector("exporter", true, "the exporter's own health (Docker reachability, refresh durations and errors)",
            f -> new HealthCollector(catalog(f), sourceName))
        .collector("container", true, "per-container cAdvisor metrics, rendered at each refresh", f -> new ContainerCollector(
            catalog(f), allowlist(f), f.bool("container.percpu"), groups(f), this::fsDevice))
        .collector("machine", true, "cAdvisor's machine_cpu_cores and machine_memory_bytes, and cadvisor_version_info",
            f -> new MachineCollector(Path.of(f.get("path.procfs")), Path.of(f.get("path.sysfs")),
                Path.of(f.get("path.rootfs")), () -> docker == null ? "" : docker.serverVersion()));
  }

  private static MetricGroups groups(Flags f) throws FlagException {
    try {
      return MetricGroups.parse(f.get("container.enable-metrics"), f.get("container.disable-metrics"));
    } catch (IllegalArgumentException e) {
      throw new FlagException(e.getMessage());
    }
  }

  private static List<String> allowlist(Flags f) {
    List<String> out = new ArrayList<>();
    for (String v : f.list("container.label-allowlist")) {
      for (String k : v.split(",")) {
        if (!k.isBlank()) {
          out.add(k.trim());
        }
      }
    }
    return out;
  }

  /** The catalog, built once from the flags and started; shared by both collectors. */
  synchronized ContainerCatalog catalog(Flags f) throws FlagException, IOException {
    if (catalog != null) {
      return catalog;
    }
    // After the framework configured logging (which resets levels).
    DOCKER_CALLBACKS.setLevel(Level.OFF);
    Pattern ignored;
    try {
      ignored = Pattern.compile(f.get("network.ignored-interfaces"));
    } catch (PatternSyntaxException e) {
      throw new FlagException("flag --network.ignored-interfaces: bad regexp: " + e.getDescription());
    }
    int resetInterval = f.integer("container.referenced-reset-interval");
    if (resetInterval < 0) {
      throw new FlagException("flag --container.referenced-reset-interval: expected a count of readings (0 or more), got "
          + resetInterval);
    }
    HostFiles.Options options = new HostFiles.Options(100, ignored, f.bool("container.task-states"), groups(f),
        resetInterval);
    Path proc = Path.of(f.get("path.procfs"));
    Path sys = Path.of(f.get("path.sysfs"));
    HostFiles host = new HostFiles(proc, sys, options);
    String hostFlag = f.get("docker.host");
    if (!hostFlag.startsWith("unix://") && !hostFlag.startsWith("tcp://")) {
      throw new FlagException("flag --docker.host: expected unix:///path or tcp://host:port, got '" + hostFlag + "'");
    }
    Duration timeout = f.duration("docker.timeout");
    int concurrency = f.integer("housekeeping.concurrency");
    if (concurrency < 1) {
      throw new FlagException("flag --housekeeping.concurrency must be at least 1, got " + concurrency);
    }
    String mode = f.get("source");
    if (!Set.of("auto", "docker", "cgroup").contains(mode)) {
      throw new FlagException("flag --source: expected auto, docker or cgroup, got '" + mode + "'");
    }
    CgroupReader cgroups = null;
    if (!mode.equals("docker")) {
      try {
        cgroups = CgroupReader.detect(Path.of(f.get("path.cgroupfs")), proc, sys, options);
        if (!Files.isDirectory(proc)) {
          throw new IOException(proc + " is not readable");
        }
        if (mode.equals("auto") && !hostFlag.startsWith("unix://")) {
          cgroups = null; // a remote daemon's containers are not in our cgroup filesystem
        }
      } catch (IOException e) {
        if (mode.equals("cgroup")) {
          throw new FlagException("flag --source=cgroup: " + e.getMessage());
        }
        Logging.log(LOG, Level.INFO, "cgroup filesystem not usable, reading usage from the Docker API", "err", e.getMessage());
        cgroups = null;
      }
    }
    Duration housekeeping = f.get("housekeeping.interval").isEmpty()
        ? (cgroups != null ? Duration.ofSeconds(1) : Duration.ofSeconds(10)) : f.duration("housekeeping.interval");
    if (housekeeping.isZero() || housekeeping.isNegative()) {
      throw new FlagException("flag --housekeeping.interval must be positive, got '" + f.get("housekeeping.interval") + "'");
    }
    docker = new DockerSource(new DockerSource.Config(hostFlag, f.bool("docker.tls-verify"), f.get("docker.cert-path"),
        timeout, concurrency), host::deviceName);
    // cgroup files are read one after the other on the catalog's thread: they are local and fast,
    // and parallel reads would only compete with scrapes for the CPU.
    ContainerCatalog.Settings settings = new ContainerCatalog.Settings(housekeeping, f.duration("docker.resync-interval"),
        cgroups != null ? 1 : concurrency, f.duration("housekeeping.fs-interval"), hostFlag);
    this.host = host;
    DockerSource d = docker;
    if (cgroups != null) {
      CgroupReader reader = cgroups;
      sourceName = "cgroup " + reader.version();
      Map<String, String> located = new ConcurrentHashMap<>();
      ContainerCatalog.Lister lister = () -> {
        List<ContainerInfo> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ContainerInfo c : d.running()) {
          ids.add(c.id());
          String path = located.get(c.id());
          if (path == null && c.pid() > 0) {
            // The kernel's word on where the container lives beats the daemon's naming convention.
            path = reader.locate(c.pid());
            if (path != null) {
              located.put(c.id(), path);
            }
          }
          out.add(path == null ? c : c.withCgroupPath(path));
        }
        located.keySet().retainAll(ids);
        return out;
      };
      catalog = new ContainerCatalog(lister, c -> reader.read(c.cgroupPath(), c.pid()), this::writableLayer,
          d::follow, settings, Clock.systemUTC());
    } else {
      sourceName = "docker";
      catalog = new ContainerCatalog(d::running, c -> d.stats(c.id()), this::writableLayer, d::follow,
          settings, Clock.systemUTC());
    }
    Logging.log(LOG, Level.INFO, "reading containers", "docker_host", hostFlag, "source", sourceName,
        "housekeeping_interval", housekeeping.toString());
    return catalog.start();
  }

  /**
   * The filesystem of the disk families, as cAdvisor has it: the one holding the daemon's data
   * directory, its size and its block device's counters when the daemon is local; else only the
   * directory, as the device label.
   */
  private ContainerCollector.FsDevice fsDevice() {
    String dir = docker.rootDir();
    if (!local()) {
      return new ContainerCollector.FsDevice(dir, Usage.UNKNOWN, null);
    }
    String source = host.mountSource(dir);
    long capacity;
    try {
      capacity = Files.getFileStore(Path.of(dir)).getTotalSpace();
    } catch (IOException | RuntimeException e) {
      capacity = Usage.UNKNOWN;
    }
    return new ContainerCollector.FsDevice(source != null ? source : dir, capacity,
        host.diskStats(host.mountDevice(dir)));
  }

  private boolean local() {
    return docker.host().startsWith("unix://");
  }

  /**
   * The daemon's size of the writable layer, and the inodes in it when the daemon is local: the
   * layer directory is found as cAdvisor finds it, through the layer database's mount-id
   * ({@code <root>/image/<driver>/layerdb/mounts/<id>/mount-id} names {@code <root>/<driver>/<mount-id>/diff}).
   */
  private ContainerCatalog.Layer writableLayer(ContainerInfo c) throws IOException {
    long bytes = docker.writableLayerBytes(c.id());
    long inodes = Usage.UNKNOWN;
    String driver = docker.storageDriver();
    if (local() && (driver.equals("overlay2") || driver.equals("overlay"))) {
      Path root = Path.of(docker.rootDir());
      try {
        String mountId = Files.readString(root.resolve("image").resolve(driver).resolve("layerdb/mounts")
            .resolve(c.id()).resolve("mount-id")).trim();
        inodes = HostFiles.countInodes(root.resolve(driver).resolve(mountId).resolve(driver.equals("overlay2") ? "diff" : "upper"));
      } catch (IOException | java.nio.file.InvalidPathException e) {
        inodes = Usage.UNKNOWN; // not readable here (another mount namespace, no permission)
      }
    }
    return new ContainerCatalog.Layer(bytes, inodes);
  }

  /** The catalog once started (tests). */
  public ContainerCatalog catalog() {
    return catalog;
  }

  @Override
  public synchronized void close() throws IOException {
    if (catalog != null) {
      catalog.close();
      catalog = null;
    }
    if (docker != null) {
      docker.close();
      docker = null;
    }
  }
}
