package io.promsuite.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.RealParts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exporters' systemd units: systemd-analyze verify and security run on the unmodified files
 * inside a scratch root that holds systemd's own units, /bin/kill and an executable at each
 * ExecStart path, so "command not found" and unknown directives are reported as they would be
 * on a host.
 */
class SystemdUnitTest {
  private static final Map<String, Integer> PORTS = Map.of(
      "host-exporter", 9100, "container-exporter", 8080, "blackbox-exporter", 9115, "ml-model-exporter", 9101);
  /** "OK" in systemd-analyze security starts below 2.0 ... 4.9 is "MEDIUM". */
  private static final double MAX_EXPOSURE = 2.0;

  @TempDir static Path root;

  @BeforeAll
  static void buildScratchRoot() throws IOException {
    RealParts.require("/usr/bin/systemd-analyze").toString();
    copyTree(Path.of("/usr/lib/systemd/system"), root.resolve("usr/lib/systemd/system"));
    Files.createDirectories(root.resolve("usr/bin"));
    Files.copy(Path.of("/usr/bin/kill"), root.resolve("usr/bin/kill"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    Path units = Files.createDirectories(root.resolve("etc/systemd/system"));
    for (String exporter : PORTS.keySet()) {
      Files.copy(Packaging.file("systemd/" + exporter + ".service"), units.resolve(exporter + ".service"));
      // Stands for the installed launcher: systemd-analyze only needs an executable there.
      Path launcher = Files.createDirectories(root.resolve("opt/promsuite/" + exporter + "/bin")).resolve(exporter);
      Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
      assertTrue(launcher.toFile().setExecutable(true));
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          if (Files.readSymbolicLink(p).isAbsolute()) {
            continue; // masked units (-> /dev/null): not needed, and outside the scratch root
          }
          Files.createDirectories(target.getParent());
          Files.createSymbolicLink(target, Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  @Test
  void thereIsAUnitForEveryExporter() {
    assertEquals(PORTS.keySet().stream().sorted().map(e -> e + ".service").toList(),
        Packaging.files("systemd", ".service").stream().map(p -> p.getFileName().toString()).toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"host-exporter", "container-exporter", "blackbox-exporter", "ml-model-exporter"})
  void unitPassesSystemdAnalyzeVerifyWithoutAWord(String exporter) {
    Run run = Run.of(root, RealParts.require("/usr/bin/systemd-analyze").toString(), "verify", "--man=no", "--generators=no",
        "--root=" + root, exporter + ".service");
    assertEquals(0, run.exitCode(), run.output());
    assertEquals("", run.output().strip(), "systemd-analyze verify complained");
  }

  @ParameterizedTest
  @ValueSource(strings = {"host-exporter", "container-exporter", "blackbox-exporter", "ml-model-exporter"})
  void unitExposureIsRatedOk(String exporter) {
    Run run = Run.of(root, RealParts.require("/usr/bin/systemd-analyze").toString(), "security", "--offline=yes", "--root=" + root,
        exporter + ".service").assertSuccess();
    Matcher level = Pattern.compile("Overall exposure level for " + Pattern.quote(exporter) + "\\.service: (\\d+\\.\\d+)")
        .matcher(run.output());
    assertTrue(level.find(), run.output());
    double exposure = Double.parseDouble(level.group(1));
    System.out.printf("systemd-analyze security %s.service: exposure %.1f%n", exporter, exposure);
    assertTrue(exposure < MAX_EXPOSURE, exporter + " exposure " + exposure + " (want < " + MAX_EXPOSURE + "):\n" + run.output());
  }

  @ParameterizedTest
  @ValueSource(strings = {"host-exporter", "container-exporter", "blackbox-exporter", "ml-model-exporter"})
  void unitIsHardenedAndTakesItsFlagsFromTheEnvironmentFile(String exporter) {
    Map<String, List<String>> unit = directives(Packaging.file("systemd/" + exporter + ".service"));
    assertEquals(List.of("yes"), unit.get("DynamicUser"));
    assertEquals(List.of("strict"), unit.get("ProtectSystem"));
    assertEquals(List.of("yes"), unit.get("NoNewPrivileges"));
    String capabilities = exporter.equals("blackbox-exporter") ? "CAP_NET_RAW" : "";
    assertEquals(List.of(capabilities), unit.get("CapabilityBoundingSet"));
    assertEquals(List.of(capabilities), unit.get("AmbientCapabilities"));
    assertEquals(List.of("-/etc/default/" + exporter), unit.get("EnvironmentFile"));
    assertEquals(List.of("/opt/promsuite/" + exporter + "/bin/" + exporter + " $ARGS"), unit.get("ExecStart"));
    assertFalse(unit.containsKey("MemoryDenyWriteExecute"), "the JVM's JIT needs writable+executable memory");

    String defaults = Packaging.read(Packaging.file("systemd/default/" + exporter));
    Matcher args = Pattern.compile("(?m)^ARGS=\"([^\"]*)\"").matcher(defaults);
    assertTrue(args.find(), "systemd/default/" + exporter + " has no ARGS=\"...\"");
    assertTrue(args.group(1).contains("--web.listen-address=:" + PORTS.get(exporter)), args.group(1));
  }

  /** The verify check above reports what it should: a misspelt directive is not silently accepted. */
  @Test
  void systemdAnalyzeReportsAnUnknownDirective() throws IOException {
    Path units = root.resolve("etc/systemd/system");
    String text = Packaging.read(Packaging.file("systemd/host-exporter.service"))
        .replace("ProtectSystem=strict", "ProtectSystems=strict");
    Files.writeString(units.resolve("misspelt-exporter.service"), text);
    try {
      Run run = Run.of(root, RealParts.require("/usr/bin/systemd-analyze").toString(), "verify", "--man=no", "--generators=no",
          "--root=" + root, "misspelt-exporter.service");
      assertTrue(run.output().contains("Unknown key 'ProtectSystems'"), run.output());
      Files.delete(units.resolve("misspelt-exporter.service"));
      Files.move(root.resolve("opt/promsuite/host-exporter/bin/host-exporter"), root.resolve("moved"));
      Run missing = Run.of(root, RealParts.require("/usr/bin/systemd-analyze").toString(), "verify", "--man=no", "--generators=no",
          "--root=" + root, "host-exporter.service");
      assertNotEquals(0, missing.exitCode(), missing.output());
      assertTrue(missing.output().contains("/opt/promsuite/host-exporter/bin/host-exporter is not executable"),
          missing.output());
    } finally {
      Files.deleteIfExists(units.resolve("misspelt-exporter.service"));
      if (Files.exists(root.resolve("moved"))) {
        Files.move(root.resolve("moved"), root.resolve("opt/promsuite/host-exporter/bin/host-exporter"));
      }
    }
  }

  /** Key to values of a unit file (a key may repeat), comments and section headers left out. */
  private static Map<String, List<String>> directives(Path unit) {
    Map<String, List<String>> result = new java.util.TreeMap<>();
    try {
      for (String line : Files.readAllLines(unit)) {
        int eq = line.indexOf('=');
        if (line.isBlank() || line.startsWith("#") || line.startsWith("[") || eq < 0) {
          continue;
        }
        result.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return result;
  }
}
