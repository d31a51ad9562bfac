package io.promsuite.e2e.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server of the stack as a child process: its output appended to a log file, readiness by
 * polling a URL, and stop, kill (SIGKILL, a crash) and restart with the same command line, always
 * by its own PID.
 */
public final class ManagedProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final String name;
  private final List<String> command;
  private final Path log;
  private final String readyUrl;
  private final Duration stopTimeout;
  private volatile Process process;

  /**
   * @param readyUrl polled until it answers 2xx; null for servers that are not HTTP
   * @param stopTimeout how long a SIGTERM may take before SIGKILL
   */
  public ManagedProcess(String name, List<String> command, Path log, String readyUrl, Duration stopTimeout) {
    this.name = name;
    this.command = List.copyOf(command);
    this.log = log;
    this.readyUrl = readyUrl;
    this.stopTimeout = stopTimeout;
  }

  public String name() {
    return name;
  }

  public List<String> command() {
    return command;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /** Starts the process (again, after a stop or kill); output is appended to the log. */
  public synchronized ManagedProcess start() throws IOException {
    if (alive()) {
      throw new IllegalStateException(name + " is already running as PID " + process.pid());
    }
    Files.createDirectories(log.getParent());
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return this;
  }

  /** Waits until the ready URL answers 2xx; fails with the log's tail when it exits or times out. */
  public ManagedProcess awaitReady(Duration timeout) throws IOException, InterruptedException {
    if (readyUrl == null) {
      return this;
    }
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IOException(name + " exited with status " + process.exitValue() + "; log " + log + ":\n" + tail());
      }
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create(readyUrl)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 == 2) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IOException(name + " not ready at " + readyUrl + " after " + timeout + "; log " + log + ":\n" + tail());
  }

  /** SIGKILL, as a crash would: no shutdown hooks, no final flush. */
  public synchronized void kill() throws InterruptedException {
    if (alive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM, then SIGKILL after the stop timeout. */
  @Override
  public synchronized void close() {
    if (!alive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** The last lines of the log, for error messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "<no log: " + e.getMessage() + ">";
    }
  }
}
