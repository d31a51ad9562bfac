package io.promsuite.exporter.common.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real server process a test starts (Prometheus, node_exporter, the Pushgateway, our own
 * launcher): output to a log file, readiness by polling a URL, stopped by PID on close.
 */
public final class RealProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private RealProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static RealProcess start(List<String> command, Path log) throws IOException {
    return start(command, log, Map.of());
  }

  public static RealProcess start(List<String> command, Path log, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new RealProcess(pb.start(), log);
  }

  public long pid() {
    return process.pid();
  }

  public Process process() {
    return process;
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "<no output: " + e.getMessage() + ">";
    }
  }

  /** Polls {@code url} until it answers 2xx; fails with the process output otherwise. */
  public RealProcess awaitHttp(String url, Duration timeout) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException("process exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() / 100 == 2) {
          return this;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(url + " not ready after " + timeout + ":\n" + output());
  }

  /** Polls until something accepts TCP connections on 127.0.0.1:{@code port}; fails with the process output otherwise. */
  public RealProcess awaitListening(int port, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException("process exited with " + process.exitValue() + ":\n" + output());
      }
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
        return this;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("nothing listening on 127.0.0.1:" + port + " after " + timeout + ":\n" + output());
  }

  /** SIGTERM, then SIGKILL after 5 s. */
  @Override
  public void close() {
    stop(process.toHandle(), Duration.ofSeconds(5));
  }

  /** SIGTERM to exactly this process, SIGKILL after {@code grace}; waits (up to 5 s more) until it is gone. */
  public static void stop(ProcessHandle process, Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      process.destroyForcibly();
      process.onExit().completeOnTimeout(process, 5, TimeUnit.SECONDS).join();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
