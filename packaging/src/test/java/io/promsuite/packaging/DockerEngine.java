package io.promsuite.packaging;

import io.promsuite.exporter.common.testing.RealParts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private Docker engine (Debian's dockerd) for the image checks: its own socket, data and exec
 * roots in a short directory under /tmp, and every network flag that keeps it off the machine's
 * iptables, forwarding and bridges (containers use --network host or none). Closing it removes its
 * containers, stops the daemon by PID and deletes the directory.
 */
final class DockerEngine implements AutoCloseable {
  private final Path dir;
  private final String docker;
  private final Daemon daemon;

  private DockerEngine(Path dir, String docker, Daemon daemon) {
    this.dir = dir;
    this.docker = docker;
    this.daemon = daemon;
  }

  /** Starts an engine; skips on a laptop without root or docker.io, fails under CI=true. */
  static DockerEngine start() throws IOException {
    String dockerd = RealParts.require("dockerd").toString();
    String docker = RealParts.require("docker").toString();
    if (!RealParts.isRoot()) {
      RealParts.missing("dockerd needs root");
    }
    // Short: the exec root holds unix sockets, whose paths are limited to 108 bytes.
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "pd");
    Daemon daemon = Daemon.start("dockerd", dir, List.of(dockerd,
        "--host", "unix://" + dir.resolve("d.sock"),
        "--data-root", dir.resolve("data").toString(),
        "--exec-root", dir.resolve("x").toString(),
        "--pidfile", dir.resolve("d.pid").toString(),
        "--iptables=false", "--ip-forward=false", "--ip-masq=false", "--bridge=none"));
    DockerEngine engine = new DockerEngine(dir, docker, daemon);
    try {
      Http.await(Duration.ofSeconds(60), () -> "dockerd to answer; log:\n" + daemon.log(), () -> {
        daemon.assertAlive();
        return Files.exists(engine.socket()) && engine.run("version", "--format", "{{.Server.Version}}").exitCode() == 0;
      });
    } catch (RuntimeException | Error e) {
      engine.close();
      throw e;
    }
    return engine;
  }

  Path socket() {
    return dir.resolve("d.sock");
  }

  /** A scratch directory inside the engine's, deleted with it. */
  Path scratch(String name) {
    try {
      return Files.createDirectories(dir.resolve("scratch").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The docker CLI against this engine (the legacy builder: no BuildKit, no buildx needed). */
  Run run(String... args) {
    List<String> command = new ArrayList<>(List.of("env", "DOCKER_BUILDKIT=0", "DOCKER_CONFIG=" + dir.resolve("cli"),
        docker, "--host", "unix://" + socket()));
    command.addAll(List.of(args));
    return Run.of(dir, command);
  }

  /** As {@link #run}, failing with the output and the daemon's log unless it exits 0. */
  String ok(String... args) {
    Run result = run(args);
    if (result.exitCode() != 0) {
      throw new AssertionError("docker " + String.join(" ", args) + " exited " + result.exitCode() + ":\n"
          + result.output() + "\ndockerd log (tail):\n" + tail(daemon.log()));
    }
    return result.output().trim();
  }

  private static String tail(String log) {
    return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
  }

  @Override
  public void close() {
    try {
      if (run("version").exitCode() == 0) {
        String ids = run("ps", "-aq").output().trim();
        if (!ids.isEmpty()) {
          List<String> rm = new ArrayList<>(List.of("rm", "-f", "-v"));
          rm.addAll(List.of(ids.split("\\s+")));
          run(rm.toArray(String[]::new));
        }
      }
    } finally {
      daemon.close();
      unmountLeftovers();
      deleteTree();
    }
  }

  /** dockerd can leave its network namespace mount behind; it would keep the directory busy. */
  private void unmountLeftovers() {
    try {
      List<String> mounts = Files.readAllLines(Path.of("/proc/self/mounts")).stream()
          .map(line -> line.split(" ")[1]).filter(point -> point.startsWith(dir + "/"))
          .sorted(Comparator.reverseOrder()).toList();
      for (String point : mounts) {
        Run.of(Path.of("/"), "umount", "-l", point);
      }
    } catch (IOException e) {
      // Nothing mounted that we can see: deleting will tell.
    }
  }

  private void deleteTree() {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the engine directory " + dir, e);
    }
  }
}
