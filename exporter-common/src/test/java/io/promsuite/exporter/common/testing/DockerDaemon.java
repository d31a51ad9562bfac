package io.promsuite.exporter.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A private real Docker engine for tests: Debian's dockerd, started as root with its own socket,
 * data root, exec root and pid file in a short directory under /tmp, and with all four network
 * flags ({@code --iptables=false --ip-forward=false --ip-masq=false --bridge=none}) so it never
 * touches the machine's firewall, forwarding or bridges; containers therefore run with
 * {@code --network none} or {@code host}. No registry is reachable here, so
 * {@link #importBusyboxImage} makes a test image from Debian's static busybox.
 *
 * <p>{@link #close} removes every container, stops dockerd by PID (SIGTERM: it stops its
 * containers and containerd first; SIGKILL after 40 s), unmounts what it left behind and deletes
 * the directory, also after a failed start. Missing dockerd, docker or root: the test is skipped
 * on a laptop and fails under {@code CI=true} (see {@link RealParts}).
 *
 * <pre>{@code
 * try (DockerDaemon engine = DockerDaemon.start()) {
 *   engine.importBusyboxImage(DockerDaemon.BUSYBOX_IMAGE);
 *   String id = engine.runContainer("--name", "box", DockerDaemon.BUSYBOX_IMAGE, "sleep", "3600");
 *   ... exporter with --docker.host=engine.dockerHost() ...
 * }
 * }</pre>
 * Test classes that can share one engine take it as a parameter with {@link SharedDockerDaemon}.
 */
public final class DockerDaemon implements AutoCloseable {
  /** The tag tests give the busybox image when they need only one. */
  public static final String BUSYBOX_IMAGE = "promsuite-test/busybox:1";

  private static final Duration READY = Duration.ofSeconds(90);
  private static final Duration STOP_GRACE = Duration.ofSeconds(40);
  private static final Duration API_TIMEOUT = Duration.ofSeconds(60);
  private static final int LOG_TAIL = 4000;

  private final Path dir;
  private final Path socket;
  private final Path docker;
  /** How dockerd is (re)started; null for an engine that was {@linkplain #attach attached}. */
  private final List<String> daemonCommand;
  private Process daemon;

  private DockerDaemon(Path dir, Path socket, Path docker, List<String> daemonCommand) {
    this.dir = dir;
    this.socket = socket;
    this.docker = docker;
    this.daemonCommand = daemonCommand;
  }

  /** Starts an engine and waits until it answers on its socket. */
  public static DockerDaemon start() throws IOException, InterruptedException {
    return start(List.of());
  }

  /** Starts an engine with more dockerd arguments (another {@code --host}, TLS flags). */
  public static DockerDaemon start(List<String> extraDaemonArgs) throws IOException, InterruptedException {
    Path dockerd = RealParts.require("dockerd");
    Path docker = RealParts.require("docker");
    if (!RealParts.isRoot()) {
      RealParts.missing("dockerd needs root");
    }
    // Short: the exec root holds unix sockets, whose paths are limited to 108 bytes.
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "dk");
    List<String> command = new ArrayList<>(List.of(dockerd.toString(),
        "--host", "unix://" + dir.resolve("docker.sock"),
        "--data-root", dir.resolve("data").toString(),
        "--exec-root", dir.resolve("x").toString(),
        "--pidfile", dir.resolve("docker.pid").toString(),
        "--iptables=false", "--ip-forward=false", "--ip-masq=false", "--bridge=none"));
    command.addAll(extraDaemonArgs);
    DockerDaemon engine = new DockerDaemon(dir, dir.resolve("docker.sock"), docker, List.copyOf(command));
    try {
      engine.launch();
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      try {
        engine.close();
      } catch (RuntimeException | Error cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    return engine;
  }

  /**
   * The CLI, API and image helpers for an engine started elsewhere (the e2e stack's own dockerd).
   * It is not ours: {@link #stop} and {@link #restart} are refused, and {@link #close} deletes only
   * this handle's scratch directory.
   */
  public static DockerDaemon attach(Path socket) throws IOException {
    Path docker = RealParts.require("docker");
    return new DockerDaemon(Files.createTempDirectory(Path.of("/tmp"), "dkc"), socket, docker, null);
  }

  public Path socket() {
    return socket;
  }

  /** {@code unix:///...}, as {@code docker -H} and the exporters' {@code --docker.host} take it. */
  public String dockerHost() {
    return "unix://" + socket;
  }

  /** A directory inside this engine's, deleted with it (bind-mount sources, build contexts). */
  public Path scratch(String name) {
    try {
      return Files.createDirectories(dir.resolve("scratch").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code docker ARGS...} against this engine; its trimmed stdout, or a failure with stderr and dockerd's log. */
  public String docker(String... args) {
    Command.Result r = tryDocker(args);
    if (r.exit() != 0) {
      throw new AssertionError("docker " + String.join(" ", args) + " exited " + r.exit() + "\nstderr: " + r.stderr().strip()
          + "\nstdout: " + r.stdout().strip() + "\ndockerd log (tail):\n" + tail(log()));
    }
    return r.stdout().strip();
  }

  /** {@code docker ARGS...} against this engine, whatever its exit code (for commands expected to fail). */
  public Command.Result tryDocker(String... args) {
    List<String> command = new ArrayList<>(List.of(docker.toString(), "--host", dockerHost()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    // Nothing from the caller's environment may point the CLI elsewhere or add TLS to a unix socket.
    env.keySet().removeAll(List.of("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"));
    // The legacy builder (no BuildKit, so no buildx needed) and a CLI config of its own, never ~/.docker.
    env.put("DOCKER_BUILDKIT", "0");
    env.put("DOCKER_CONFIG", dir.resolve("cli").toString());
    return Command.run(builder, Command.DEFAULT_TIMEOUT);
  }

  /** {@code docker run -d --network none ARGS...}; the full container id. */
  public String runContainer(String... args) {
    List<String> run = new ArrayList<>(List.of("run", "-d", "--network", "none"));
    run.addAll(List.of(args));
    return docker(run.toArray(String[]::new));
  }

  /**
   * Imports an image made of Debian's static busybox and a link for each of its applets (sh,
   * sleep, yes, dd, head, tail, ping, ...), with empty /tmp, /proc, /sys, /dev and /etc; returns
   * {@code tag}.
   */
  public String importBusyboxImage(String tag) throws IOException {
    Path busybox = RealParts.require("busybox");
    Path rootfs = dir.resolve("rootfs-" + Long.toHexString(System.nanoTime()));
    Files.createDirectories(rootfs.resolve("bin"));
    for (String d : List.of("tmp", "proc", "sys", "dev", "etc")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    Files.copy(busybox, rootfs.resolve("bin/busybox"));
    for (String applet : Command.run(List.of(busybox.toString(), "--list")).orFail().stdout().split("\\s+")) {
      if (!applet.isEmpty() && !applet.equals("busybox")) {
        Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
      }
    }
    Path tar = rootfs.resolveSibling(rootfs.getFileName() + ".tar");
    Command.run(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")).orFail();
    docker("import", tar.toString(), tag);
    TempDirs.delete(rootfs);
    Files.delete(tar);
    return tag;
  }

  /** {@code GET path} on the engine's API (e.g. a container's one-shot stats); the body of a 2xx answer. */
  public String api(String path) throws IOException {
    return UnixSocketHttp.get(socket, path, API_TIMEOUT);
  }

  /** Stops dockerd as an operator would (SIGTERM; SIGKILL after 40 s), keeping its data for {@link #restart}. */
  public void stop() {
    requireOwned("stop");
    if (daemon == null) {
      return;
    }
    // containerd and whatever else it started: stopped with it normally, killed by PID if not.
    List<ProcessHandle> family = daemon.descendants().toList();
    RealProcess.stop(daemon.toHandle(), STOP_GRACE);
    for (ProcessHandle child : family) {
      RealProcess.stop(child, Duration.ofSeconds(10));
    }
  }

  /** Starts dockerd again on the same directories after {@link #stop}. */
  public void restart() throws IOException, InterruptedException {
    requireOwned("restart");
    if (daemon != null && daemon.isAlive()) {
      throw new IllegalStateException("dockerd (pid " + daemon.pid() + ") is still running");
    }
    launch();
  }

  /** dockerd's output so far (all its runs), for failure messages. */
  public String log() {
    Path log = dir.resolve("dockerd.log");
    try {
      return Files.exists(log) ? Files.readString(log) : "<no dockerd log: not started by this test>";
    } catch (IOException e) {
      return "<cannot read " + log + ": " + e.getMessage() + ">";
    }
  }

  /** Removes every container, stops dockerd by PID, unmounts its leftovers and deletes its directory. */
  @Override
  public void close() {
    try {
      if (daemon != null && daemon.isAlive()) {
        removeAllContainers();
      }
    } finally {
      try {
        if (daemonCommand != null) {
          stop();
        }
      } finally {
        unmountLeftovers();
        TempDirs.delete(dir);
      }
    }
  }

  private void launch() throws IOException, InterruptedException {
    daemon = new ProcessBuilder(daemonCommand).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile())).start();
    daemon.getOutputStream().close();
    try {
      Poll.until(READY, "dockerd answering on " + socket, () -> {
        if (!daemon.isAlive()) {
          throw Poll.abort("dockerd exited with " + daemon.exitValue() + ":\n" + tail(log()));
        }
        return Files.exists(socket) && answersPing();
      });
    } catch (AssertionError e) {
      throw e.getCause() instanceof Poll.Abort ? e : new AssertionError(e.getMessage() + "\n" + tail(log()), e);
    }
  }

  private boolean answersPing() {
    try {
      return api("/_ping").equals("OK");
    } catch (IOException e) {
      return false;
    }
  }

  private void removeAllContainers() {
    Command.Result ids = tryDocker("ps", "-aq");
    if (ids.exit() == 0 && !ids.stdout().isBlank()) {
      List<String> rm = new ArrayList<>(List.of("rm", "-f", "-v"));
      rm.addAll(List.of(ids.stdout().strip().split("\\s+")));
      tryDocker(rm.toArray(String[]::new));
    }
  }

  private void requireOwned(String what) {
    if (daemonCommand == null) {
      throw new IllegalStateException("cannot " + what + " the engine on " + socket + ": it was attached, not started here");
    }
  }

  /** dockerd can leave mounts (its network namespaces, the data root) under its directory: deepest first. */
  private void unmountLeftovers() {
    try {
      List<String> mounts = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
          .map(line -> line.split(" ")[1]).filter(point -> point.startsWith(dir + "/"))
          .sorted(Comparator.comparingInt(String::length).reversed()).toList();
      for (String point : mounts) {
        Command.run(List.of("umount", "-l", point));
      }
    } catch (IOException e) {
      // Nothing we can see is mounted: deleting will tell.
    }
  }

  private static String tail(String log) {
    return log.length() > LOG_TAIL ? "..." + log.substring(log.length() - LOG_TAIL) : log;
  }
}
