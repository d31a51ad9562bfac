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
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
    try {
      Poll.until(timeout, url + " to answer 2xx", () -> {
        alive();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      }, status -> status / 100 == 2);
    } catch (AssertionError e) {
      throw withOutput(e);
    }
    return this;
  }

  /** Polls until something accepts TCP connections on 127.0.0.1:{@code port}; fails with the process output otherwise. */
  public RealProcess awaitListening(int port, Duration timeout) throws InterruptedException {
    try {
      Poll.untilPasses(timeout, "something listening on 127.0.0.1:" + port, () -> {
        alive();
        try (java.net.Socket s = new java.net.Socket()) {
          s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
        }
      });
    } catch (AssertionError e) {
      throw withOutput(e);
    }
    return this;
  }

  /** Polls the output until it contains {@code text} (a "ready" line); fails with the output otherwise. */
  public RealProcess awaitOutput(String text, Duration timeout) {
    try {
      Poll.until(timeout, "'" + text + "' in the output", () -> {
        String out = output();
        if (!out.contains(text)) {
          alive();
        }
        return out;
      }, out -> out.contains(text), out -> "(below)");
    } catch (AssertionError e) {
      throw withOutput(e);
    }
    return this;
  }

  private AssertionError withOutput(AssertionError e) {
    return e.getCause() instanceof Poll.Abort ? e : new AssertionError(e.getMessage() + "\n" + output(), e);
  }

  /** Throws {@link Poll#abort} with the output when the process has exited: waiting for it is pointless. */
  public void alive() {
    if (!process.isAlive()) {
      throw Poll.abort("process exited with " + process.exitValue() + ":\n" + output());
    }
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
