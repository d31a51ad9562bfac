package io.promsuite.exporter.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM command line a module's launcher (build-support/launcher.sh with the module's
 * {@code exporter.jvm.flags}) would exec, with the test classpath in place of the jar: a test gets
 * the shipped heap and flags before {@code package} has made target/bin.
 */
public final class LauncherCommand {
  private LauncherCommand() {}

  /** @param moduleDir the module (its pom.xml holds exporter.jvm.flags; the launcher is in ../build-support) */
  public static List<String> of(Path moduleDir, String mainClass, String... args) throws IOException {
    String pom = Files.readString(moduleDir.resolve("pom.xml"));
    Matcher m = Pattern.compile("<exporter\\.jvm\\.flags>([^<]*)</exporter\\.jvm\\.flags>").matcher(pom);
    if (!m.find()) {
      throw new IllegalStateException(moduleDir + "/pom.xml has no <exporter.jvm.flags>");
    }
    String launcher = Files.readString(moduleDir.resolve("../build-support/launcher.sh"));
    Matcher exec = Pattern.compile("exec \"\\$java\" (.*) \\$cds").matcher(launcher);
    if (!exec.find()) {
      throw new IllegalStateException("build-support/launcher.sh: no 'exec \"$java\" ... $cds' line");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : exec.group(1).trim().split("\\s+")) {
      if (flag.equals("@JVM_FLAGS@")) {
        cmd.addAll(Arrays.asList(m.group(1).trim().split("\\s+")));
      } else {
        cmd.add(flag);
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The -Xmx of a command, in KiB. */
  public static long heapKib(List<String> cmd) {
    for (String a : cmd) {
      if (a.startsWith("-Xmx")) {
        String v = a.substring(4).toLowerCase();
        long n = Long.parseLong(v.replaceAll("[^0-9]", ""));
        return v.endsWith("g") ? n * 1024 * 1024 : v.endsWith("m") ? n * 1024 : v.endsWith("k") ? n : n / 1024;
      }
    }
    throw new IllegalStateException("no -Xmx in " + cmd);
  }
}
