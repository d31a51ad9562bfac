package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.RealParts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each install tarball as a production user runs it: unpacked, the install directory made read-only
 * (a private read-only bind mount), started from there with a web config that turns on TLS (a
 * certificate made here) and bcrypt basic auth, plus the shipped example configuration. Three
 * instances start at the same moment from the one install with {@code -Xshare:on}, so the shipped
 * class-data archive must be usable as unpacked (else the JVM refuses to start); they serve the
 * exporter's families over HTTPS to the right credentials only, print no JVM or web-server warning and write
 * nothing into the install or the user's home.
 */
class SecuredInstallIT {
  private static final Pattern JVM_NOISE = Pattern.compile(
      "(?i)(VM warning|\\[warning]|\\[error]|shared archive|SharedArchiveFile|Exception|^\\s+at "
          + "|weak cipher|org\\.eclipse\\.jetty)", Pattern.MULTILINE);

  @TempDir static Path tls;
  private static TlsAuth web;

  static List<ShippedExporter> exporters() {
    return ShippedExporter.all();
  }

  @BeforeAll
  static void makeCertificateAndWebConfig() throws Exception {
    web = TlsAuth.create(tls);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exporters")
  void readOnlyInstallServesHttpsToTheRightCredentialsOnly(ShippedExporter exporter, @TempDir Path dir) throws Exception {
    requireRootForMounts();
    Path home = InstallTarballIT.unpack(exporter, dir);
    Path userHome = Files.createDirectories(dir.resolve("user-home"));
    Map<String, Long> before = tree(home);

    List<Daemon> instances = new ArrayList<>();
    List<Integer> ports = List.of(Http.freePort(), Http.freePort(), Http.freePort());
    try {
      for (int port : ports) {
        instances.add(Daemon.start(exporter.module + "-" + port, dir, readOnly(home, exporter, port),
            Map.of("HOME", userHome.toString(), "JAVA_OPTS", "-Xshare:on")));
      }
      for (int i = 0; i < ports.size(); i++) {
        Daemon daemon = instances.get(i);
        String base = "https://127.0.0.1:" + ports.get(i);
        Http.await(Duration.ofSeconds(60), () -> base + "/-/healthy to answer 200; log:\n" + daemon.log(), () -> {
          daemon.assertAlive();
          return web.get(base + "/-/healthy").status() == 200;
        });
        web.assertServesOnlyTheUser(exporter, base);
      }
    } finally {
      instances.forEach(Daemon::close);
    }
    for (Daemon daemon : instances) {
      String log = daemon.log();
      assertFalse(JVM_NOISE.matcher(log).find(), daemon + " printed a JVM warning or a stack trace:\n" + log);
    }
    assertEquals(before, tree(home), "the install directory changed while the exporters ran");
    try (Stream<Path> files = Files.list(userHome)) {
      assertEquals(List.of(), files.toList(), "the exporters wrote into the user's home");
    }
  }

  @Test
  void aStaleClassDataArchiveIsSkippedWithoutAWord(@TempDir Path dir) throws IOException {
    ShippedExporter exporter = ShippedExporter.HOST;
    Path home = InstallTarballIT.unpack(exporter, dir);
    Path jar = home.resolve("lib").resolve(exporter.module + ".jar");
    // Another jar than the one the archive was made from (as after a partial upgrade).
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
    Run run = Run.of(dir, home.resolve("bin").resolve(exporter.module).toString(), "--version").assertSuccess();
    assertTrue(run.output().startsWith(exporter.module + ", version "), run.output());
    assertFalse(JVM_NOISE.matcher(run.output()).find(), run.output());
  }

  @Test
  void aMissingJarIsOneLineAndExitOne(@TempDir Path dir) throws IOException {
    ShippedExporter exporter = ShippedExporter.HOST;
    Path home = InstallTarballIT.unpack(exporter, dir);
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      // The web config's YAML reader: the first library a start with --web.config.file loads.
      for (Path jar : jars.filter(j -> j.getFileName().toString().startsWith("snakeyaml-")).toList()) {
        Files.delete(jar);
      }
    }
    Run run = Run.of(dir, home.resolve("bin").resolve(exporter.module).toString(),
        "--web.config.file=" + web.webConfig, "--web.listen-address=127.0.0.1:" + Http.freePort());
    assertEquals(1, run.exitCode(), run.output());
    List<String> errors = run.output().lines().filter(l -> !l.contains(" level=info ")).toList();
    assertEquals(1, errors.size(), "one error line, no stack trace:\n" + run.output());
    assertTrue(errors.getFirst().startsWith("host-exporter: error: incomplete installation: class org.yaml.snakeyaml."),
        run.output());
  }

  @Test
  void aPortInUseIsOneLineAndExitOne(@TempDir Path dir) throws IOException {
    ShippedExporter exporter = ShippedExporter.HOST;
    Path home = InstallTarballIT.unpack(exporter, dir);
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Run run = Run.of(dir, home.resolve("bin").resolve(exporter.module).toString(),
          "--web.config.file=" + web.webConfig, "--web.listen-address=127.0.0.1:" + taken.getLocalPort());
      assertEquals(1, run.exitCode(), run.output());
      List<String> errors = run.output().lines().filter(l -> !l.contains(" level=info ")).toList();
      assertEquals(1, errors.size(), "one error line, no stack trace:\n" + run.output());
      assertTrue(errors.getFirst().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), run.output());
    }
  }

  /** The launcher under a private mount namespace in which the install directory is read-only. */
  private static List<String> readOnly(Path home, ShippedExporter exporter, int port) {
    List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
        "mount --bind \"$0\" \"$0\" && mount -o remount,ro,bind \"$0\" \"$0\" && m=$1 && shift && exec \"$0/bin/$m\" \"$@\"",
        home.toString(), exporter.module));
    command.add("--web.listen-address=127.0.0.1:" + port);
    command.add("--web.config.file=" + web.webConfig);
    if (exporter.config != null) {
      command.add("--config.file=" + home.resolve("conf").resolve(exporter.configName()));
    }
    return command;
  }

  private static void requireRootForMounts() {
    RealParts.require("unshare");
    if (!RealParts.isRoot()) {
      RealParts.missing("a read-only bind mount of the install directory needs root");
    }
  }

  /** Every file under {@code root} with its size and modification time. */
  private static Map<String, Long> tree(Path root) throws IOException {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        files.put(root.relativize(p) + ":" + Files.size(p), Files.getLastModifiedTime(p).toMillis());
      }
    }
    return files;
  }
}
