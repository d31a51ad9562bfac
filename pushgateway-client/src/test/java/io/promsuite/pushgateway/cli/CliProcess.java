package io.promsuite.pushgateway.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The CLI run as its own JVM, the way a cron job runs it; output goes to files in a work dir. */
final class CliProcess implements AutoCloseable {

  record Result(int exit, String stdout, String stderr) {}

  final Process process;
  private final Path out;
  private final Path err;

  private CliProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static CliProcess start(Path workDir, String stdin, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(PushGatewayCli.class.getName());
    cmd.addAll(List.of(args));
    Files.createDirectories(workDir);
    Path in = Files.createTempFile(workDir, "stdin", ".prom");
    Files.writeString(in, stdin);
    Path out = Files.createTempFile(workDir, "stdout", ".txt");
    Path err = Files.createTempFile(workDir, "stderr", ".txt");
    Process p = new ProcessBuilder(cmd).redirectInput(in.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    return new CliProcess(p, out, err);
  }

  static Result run(Path workDir, String stdin, String... args) throws Exception {
    try (CliProcess p = start(workDir, stdin, args)) {
      return p.await();
    }
  }

  Result await() throws Exception {
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      throw new AssertionError("CLI did not finish in 120 s");
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  String stderrSoFar() throws Exception {
    return Files.readString(err);
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
