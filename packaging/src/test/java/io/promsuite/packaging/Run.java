package io.promsuite.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived command to completion and keeps its exit code and output. */
record Run(List<String> command, int exitCode, String output) {

  /** Runs {@code command} in {@code dir} with stderr merged into stdout; kills it after 3 minutes. */
  static Run of(Path dir, List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      // The output is read on a virtual thread so a chatty tool cannot block on a full pipe.
      var output = new StringBuilder();
      Thread reader = Thread.ofVirtual().start(() -> {
        try {
          output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          output.append("<output lost: ").append(e).append('>');
        }
      });
      if (!process.waitFor(3, TimeUnit.MINUTES)) {
        process.destroyForcibly().waitFor();
        reader.join();
        throw new AssertionError("timed out after 3 minutes: " + command + "\n" + output);
      }
      reader.join();
      return new Run(command, process.exitValue(), output.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  static Run of(Path dir, String... command) {
    return of(dir, List.of(command));
  }

  /** Fails with the whole output unless the command exited 0. */
  Run assertSuccess() {
    if (exitCode != 0) {
      throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + output);
    }
    return this;
  }
}
