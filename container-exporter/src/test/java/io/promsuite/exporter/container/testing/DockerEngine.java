package io.promsuite.exporter.container.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promsuite.exporter.common.testing.RealParts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Docker engine (Debian's dockerd) started by a test as root in a short temporary
 * directory, with every network flag that keeps it away from the machine's iptables and
 * forwarding, a busybox image imported from a tiny root filesystem, and containers run with
 * {@code --network none}. Stopped by PID; its directory is deleted.
 */
public final class DockerEngine implements AutoCloseable {
  public static final String IMAGE = "promsuite-test:1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Path docker;
  private final List<String> extraArgs;
  private Process daemon;

  private DockerEngine(Path dir, Path docker, List<String> extraArgs) {
    this.dir = dir;
    this.docker = docker;
    this.extraArgs = extraArgs;
  }

  /** Starts an engine (skips on a laptop without root or docker.io; fails under CI=true). */
  public static DockerEngine start() throws IOException, InterruptedException {
    return start(List.of());
  }

  /** Starts an engine with more daemon arguments (another --host, TLS). */
  public static DockerEngine start(List<String> extraArgs) throws IOException, InterruptedException {
    Path dockerd = RealParts.require("dockerd");
    Path docker = RealParts.require("docker");
    RealParts.require("busybox");
    if (!RealParts.isRoot()) {
      RealParts.missing("dockerd needs root");
    }
    // Short: the exec root holds unix sockets, whose paths are limited to 108 bytes.
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "dk");
    DockerEngine engine = new DockerEngine(dir, docker, List.copyOf(extraArgs));
    try {
      engine.startDaemon(dockerd);
      engine.importImage();
    } catch (IOException | InterruptedException | RuntimeException e) {
      engine.close();
      throw e;
    }
    return engine;
  }

  private void startDaemon(Path dockerd) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(dockerd.toString(), "--host", host(), "--data-root",
        dir.resolve("data").toString(), "--exec-root", dir.resolve("x").toString(), "--pidfile",
        dir.resolve("docker.pid").toString(), "--iptables=false", "--ip-forward=false", "--ip-masq=false", "--bridge=none"));
    cmd.addAll(extraArgs);
    daemon = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile())).start();
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < end) {
      if (!daemon.isAlive()) {
        throw new IllegalStateException("dockerd exited with " + daemon.exitValue() + ":\n" + log());
      }
      if (Files.exists(socket()) && run(false, "version", "--format", "{{.Server.Version}}").exit() == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("dockerd not ready after 60 s:\n" + log());
  }

  /** Stops the daemon as it would be stopped by an operator (SIGTERM), keeping its data. */
  public void stopDaemon() {
    if (daemon != null && daemon.isAlive()) {
      daemon.destroy();
      try {
        if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
          daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        daemon.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts the daemon again on the same directories after {@link #stopDaemon}. */
  public void restartDaemon() throws IOException, InterruptedException {
    startDaemon(RealParts.require("dockerd"));
  }

  private void importImage() throws IOException, InterruptedException {
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("bin"));
    for (String d : List.of("tmp", "proc", "sys", "dev", "etc")) {
      Files.createDirectories(rootfs.resolve(d));
    }
    Files.copy(RealParts.require("busybox"), rootfs.resolve("bin/busybox"));
    for (String applet : List.of("sh", "yes", "sleep", "dd", "cat", "head", "tail", "ping", "ls")) {
      Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
    }
    Path tar = dir.resolve("rootfs.tar");
    exec(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), "."));
    run(true, "import", tar.toString(), IMAGE);
  }

  public String host() {
    return "unix://" + socket();
  }

  public Path socket() {
    return dir.resolve("docker.sock");
  }

  /** {@code docker run -d --network none ARGS...}; returns the full container id. */
  public String runContainer(String... args) throws IOException, InterruptedException {
    List<String> a = new ArrayList<>(List.of("run", "-d", "--network", "none"));
    a.addAll(List.of(args));
    return run(true, a.toArray(String[]::new)).out().trim();
  }

  /** The docker CLI against this engine; fails on a non-zero exit when {@code check}. */
  public Result run(boolean check, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(docker.toString(), "-H", host()));
    cmd.addAll(List.of(args));
    Result r = exec(cmd);
    if (check && r.exit() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.out());
    }
    return r;
  }

  /** The engine's own stats for a container (the API the exporter is compared with). */
  public JsonNode stats(String id) throws IOException, InterruptedException {
    Result r = exec(List.of("curl", "-sf", "--unix-socket", socket().toString(),
        "http://docker/containers/" + id + "/stats?stream=false&one-shot=true"));
    if (r.exit() != 0) {
      throw new IllegalStateException("stats of " + id + ": curl exited " + r.exit());
    }
    return JSON.readTree(r.out());
  }

  public JsonNode inspect(String id) throws IOException, InterruptedException {
    return JSON.readTree(run(true, "inspect", id).out()).get(0);
  }

  /** The process output (stdout and stderr) and exit code. */
  public record Result(int exit, String out) {}

  private static Result exec(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", cmd) + " did not finish in 120 s");
    }
    return new Result(p.exitValue(), out);
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("dockerd.log"));
    } catch (IOException e) {
      return "<no log: " + e.getMessage() + ">";
    }
  }

  /** Removes every container, stops the daemon by PID and deletes its directory. */
  @Override
  public void close() throws IOException {
    try {
      if (daemon != null && daemon.isAlive()) {
        String ids = run(false, "ps", "-aq").out().trim();
        if (!ids.isEmpty()) {
          List<String> rm = new ArrayList<>(List.of("rm", "-f"));
          rm.addAll(List.of(ids.split("\\s+")));
          run(false, rm.toArray(String[]::new));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopDaemon();
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // A mount left behind by a killed daemon: the OS cleans /tmp; keep deleting the rest.
        }
      }
    }
  }
}
