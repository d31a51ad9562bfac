package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The install tarballs of the package phase (build/install-layout.xml), unpacked with tar as a
 * user would: the layout is complete, and the unpacked exporter reports its version and serves
 * /metrics when started with the shipped EnvironmentFile's flags and example configuration.
 */
class InstallTarballIT {

  static List<ShippedExporter> exporters() {
    return ShippedExporter.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exporters")
  void tarballHoldsLauncherJarsConfigurationAndUnit(ShippedExporter exporter, @TempDir Path dir) throws IOException {
    Path home = unpack(exporter, dir);
    Path launcher = home.resolve("bin").resolve(exporter.module);
    assertTrue(Files.isExecutable(launcher), "bin/" + exporter.module + " is not executable");

    Set<String> shippedJars = names(home.resolve("lib"));
    Set<String> expectedJars = names(exporter.builtLib());
    expectedJars.add(exporter.module + ".jar");
    expectedJars.add(exporter.module + ".jsa");
    expectedJars.add(exporter.module + "-web.jsa");
    assertEquals(expectedJars, shippedJars,
        "lib/ must hold the exporter jar, exactly its runtime dependencies and the two class-data archives");

    // Every Class-Path entry of the shipped jar resolves inside lib/ (the build tree's manifest
    // says lib/<jar>, which beside the dependencies would point at lib/lib/).
    try (JarFile jar = new JarFile(home.resolve("lib").resolve(exporter.module + ".jar").toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertFalse(main.getValue("Main-Class").isBlank(), "Main-Class lost in the manifest rewrite");
      Set<String> classPath = new TreeSet<>(List.of(main.getValue("Class-Path").trim().split(" ")));
      Set<String> dependencies = new TreeSet<>(shippedJars);
      dependencies.remove(exporter.module + ".jar");
      dependencies.remove(exporter.module + ".jsa");
      dependencies.remove(exporter.module + "-web.jsa");
      assertEquals(dependencies, classPath, "Class-Path of lib/" + exporter.module + ".jar");
    }

    assertEquals(Packaging.read(Packaging.file("systemd/default/" + exporter.module)),
        Packaging.read(home.resolve("conf/default").resolve(exporter.module)), "conf/default/" + exporter.module);
    assertEquals(Packaging.read(Packaging.file("systemd/" + exporter.module + ".service")),
        Packaging.read(home.resolve("systemd").resolve(exporter.module + ".service")), "systemd unit");
    Set<String> conf = names(home.resolve("conf"));
    conf.remove("default");
    if (exporter.config == null) {
      assertEquals(Set.of(), conf, "conf/ of an exporter without a configuration file");
    } else {
      assertEquals(Set.of(exporter.configName()), conf, "conf/");
      assertEquals(Packaging.read(Packaging.file(exporter.config)),
          Packaging.read(home.resolve("conf").resolve(exporter.configName())), "example configuration");
    }
    if (exporter == ShippedExporter.ML_MODEL) {
      // The demo store's writer, to try the exporter: demo-models /var/lib/promsuite/models.
      Path demo = home.resolve("bin/demo-models");
      assertTrue(Files.isExecutable(demo), "bin/demo-models");
      assertEquals(Packaging.read(Packaging.file("ml-model-exporter/demo-models")), Packaging.read(demo));
      Run.of(dir, demo.toString(), dir.resolve("models").toString()).assertSuccess();
      assertTrue(Files.size(dir.resolve("models/fraud-detector/2.4.0/model.onnx")) > 40_000_000, "a sparse 44 MiB artifact");
    }
    // Nothing but these four directories, owned by root in the archive.
    assertEquals(Set.of("bin", "conf", "lib", "systemd"), names(home));
    String listing = Run.of(dir, "tar", "-tzvf", exporter.tarball().toString()).assertSuccess().output();
    for (String line : listing.lines().toList()) {
      assertTrue(line.contains(" root/root "), "not owned by root/root: " + line);
      assertTrue(line.contains(" " + exporter.topDirectory() + "/"), "outside the top directory: " + line);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exporters")
  void unpackedExporterPrintsItsVersionAndServesMetrics(ShippedExporter exporter, @TempDir Path dir) throws IOException {
    Path home = unpack(exporter, dir);
    String launcher = home.resolve("bin").resolve(exporter.module).toString();

    // Started from another directory: the launcher finds lib/ beside its own bin/.
    Run version = Run.of(dir, launcher, "--version").assertSuccess();
    String expected = exporter.module + ", version " + ShippedExporter.version() + " ";
    assertTrue(version.output().lines().anyMatch(l -> l.startsWith(expected)), "--version printed:\n" + version.output());

    int port = Http.freePort();
    List<String> command = new ArrayList<>();
    command.add(launcher);
    for (String arg : exporter.defaultArgs()) {
      // As installed, but on a free loopback port and with /etc/promsuite/ being conf/.
      command.add(arg.replace("--web.listen-address=:" + exporter.port, "--web.listen-address=127.0.0.1:" + port)
          .replace("/etc/promsuite/", home.resolve("conf") + "/"));
    }
    assertTrue(command.contains("--web.listen-address=127.0.0.1:" + port),
        "the EnvironmentFile's ARGS must set --web.listen-address=:" + exporter.port + ": " + command);
    try (Daemon daemon = Daemon.start(exporter.module, dir, command)) {
      String url = "http://127.0.0.1:" + port + "/metrics";
      Http.await(Duration.ofSeconds(60), () -> url + " to answer 200; log:\n" + daemon.log(), () -> {
        daemon.assertAlive();
        return Http.get(url).status() == 200;
      });
      ExporterChecks.assertServes(exporter, "http://127.0.0.1:" + port);
    }
  }

  /** Unpacks the exporter's tarball into {@code dir} with tar and returns its top directory. */
  static Path unpack(ShippedExporter exporter, Path dir) {
    assertTrue(Files.isRegularFile(exporter.tarball()),
        exporter.tarball() + " is missing: the package phase (build/install-layout.xml) did not make it");
    Run.of(dir, "tar", "-xzf", exporter.tarball().toString()).assertSuccess();
    Path home = dir.resolve(exporter.topDirectory());
    assertTrue(Files.isDirectory(home), "the tarball does not unpack to " + exporter.topDirectory() + "/");
    return home;
  }

  private static Set<String> names(Path directory) {
    try (Stream<Path> listing = Files.list(directory)) {
      return listing.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
