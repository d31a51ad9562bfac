package io.promsuite.exporter.container;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.cli.FlagException;
import io.promsuite.exporter.common.cli.Flags;
import io.promsuite.exporter.common.log.Logging;
import io.promsuite.exporter.container.source.CgroupReader;
import io.promsuite.exporter.container.source.ContainerInfo;
import io.promsuite.exporter.container.source.DockerSource;
import io.promsuite.exporter.container.source.HostFiles;
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
            .repeatable("container.label-allowlist",
                "Docker label exported as container_label_<sanitised key>; comma-separated and repeatable. Others are dropped to bound cardinality.")
            .bool("container.percpu", true, "Export container_cpu_usage_seconds_total per CPU (cpu=\"cpuNN\") where the source has it; else cpu=\"total\".")
            .bool("container.task-states", true, "Export container_tasks_state from /proc (cgroup source only).")
            .string("network.ignored-interfaces", "^(lo|veth|docker|nerdctl).*",
                "Regexp of interfaces left out of container_network_* (cAdvisor leaves out lo, veth*, docker*)."))
        .collector("exporter", true, "the exporter's own health (Docker reachability, refresh durations and errors)",
            f -> new HealthCollector(catalog(f), sourceName))
        .collector("container", true, "per-container cAdvisor metrics, rendered at each refresh", f -> new ContainerCollector(
            catalog(f), allowlist(f), f.bool("container.percpu"), this::fsDevice));
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
    HostFiles.Options options = new HostFiles.Options(100, ignored, f.bool("container.task-states"));
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
      catalog = new ContainerCatalog(lister, c -> reader.read(c.cgroupPath(), c.pid()), c -> d.writableLayerBytes(c.id()),
          d::follow, settings, Clock.systemUTC());
    } else {
      sourceName = "docker";
      catalog = new ContainerCatalog(d::running, c -> d.stats(c.id()), c -> d.writableLayerBytes(c.id()), d::follow,
          settings, Clock.systemUTC());
    }
    Logging.log(LOG, Level.INFO, "reading containers", "docker_host", hostFlag, "source", sourceName,
        "housekeeping_interval", housekeeping.toString());
    return catalog.start();
  }

  /**
   * The device label of container_fs_usage_bytes, as cAdvisor has it: the filesystem holding the
   * daemon's data directory when the daemon is local, else that directory.
   */
  private String fsDevice() {
    String dir = docker.rootDir();
    String source = docker.host().startsWith("unix://") ? host.mountSource(dir) : null;
    return source != null ? source : dir;
  }

  /** The catalog once started (tests). */
  public ContainerCatalog catalog() {
    return catalog;
  }

  @Override
  public void close() throws IOException {
    if (catalog != null) {
      catalog.close();
    }
    if (docker != null) {
      docker.close();
    }
  }
}
