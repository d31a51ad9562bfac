package io.promsuite.exporter.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A short-lived command run to completion with a timeout, keeping its exit code, stdout and stderr apart. */
public final class Command {
  /** Long enough for an image build on a loaded 2-core machine. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(3);

  private Command() {}

  /** What a command did. {@link #output()} is both streams, for failure messages and tools that print to either. */
  public record Result(List<String> command, int exit, String stdout, String stderr) {
    public String output() {
      return stderr.isEmpty() ? stdout : stdout.isEmpty() ? stderr : stdout + "\n" + stderr;
    }

    /** This result, or a failure naming the command, its exit code and both streams. */
    public Result orFail() {
      if (exit != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + exit + "\nstderr: " + stderr.strip()
            + "\nstdout: " + stdout.strip());
      }
      return this;
    }
  }

  public static Result run(List<String> command) {
    return run(new ProcessBuilder(command), DEFAULT_TIMEOUT);
  }

  /** Runs {@code builder}'s command with stdin closed; killed (and a failure) after {@code timeout}. */
  public static Result run(ProcessBuilder builder, Duration timeout) {
    List<String> command = List.copyOf(builder.command());
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      // Both streams read on virtual threads, so a chatty command cannot block on a full pipe.
      StringBuilder out = new StringBuilder();
      StringBuilder err = new StringBuilder();
      Thread outReader = Thread.ofVirtual().start(() -> drain(process.getInputStream(), out));
      Thread errReader = Thread.ofVirtual().start(() -> drain(process.getErrorStream(), err));
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        outReader.join();
        errReader.join();
        throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + "\nstderr: " + err
            + "\nstdout: " + out);
      }
      outReader.join();
      errReader.join();
      return new Result(command, process.exitValue(), out.toString(), err.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", command), e);
    }
  }

  private static void drain(InputStream in, StringBuilder into) {
    try {
      into.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      into.append("<output lost: ").append(e).append('>');
    }
  }
}
