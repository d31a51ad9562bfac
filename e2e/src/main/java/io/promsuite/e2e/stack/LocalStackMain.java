package io.promsuite.e2e.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code packaging/local-stack}'s program: starts the {@link LocalStack}, prints its URLs and what
 * to try, and stops everything it started on Ctrl-C (SIGINT) or SIGTERM. (A stack started in the
 * background by a script needs SIGTERM: non-interactive shells start background jobs with SIGINT
 * ignored, and an ignored SIGINT cannot be handled.)
 */
public final class LocalStackMain {
  private LocalStackMain() {}

  private static final String USAGE = """
      usage: local-stack [--fast] [--ha] [--federation] [--private-dockerd] [--dir=DIR]
                         [--rate=REQ_PER_S] [--error-ratio=0..1] [--free-ports]
        --fast             1 s scrape/evaluation, rule windows / 60 and route timers / 30 (as the e2e test)
        --ha               two Prometheus servers and a two-node Alertmanager cluster
        --federation       a global Prometheus federating slo:.* from the regional ones
        --private-dockerd  start a private dockerd for the container exporter (root; default when
                           /var/run/docker.sock is missing)
        --dir=DIR          generated configs, data and logs (default: a new temporary directory)
        --free-ports       random free ports instead of the well-known ones (9090, 9093, 8000, ...)
      """;

  public static void main(String[] args) throws Exception {
    boolean fast = false;
    boolean ha = false;
    boolean federation = false;
    boolean privateDockerd = !Files.exists(Path.of("/var/run/docker.sock"));
    boolean standardPorts = true;
    Path dir = null;
    double rate = 100;
    double errorRatio = 0.001;
    for (String a : args) {
      String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : "";
      try {
        switch (a.contains("=") ? a.substring(0, a.indexOf('=')) : a) {
          case "--fast" -> fast = true;
          case "--ha" -> ha = true;
          case "--federation" -> federation = true;
          case "--private-dockerd" -> privateDockerd = true;
          case "--free-ports" -> standardPorts = false;
          case "--dir" -> dir = Path.of(value);
          case "--rate" -> rate = Double.parseDouble(value);
          case "--error-ratio" -> errorRatio = Double.parseDouble(value);
          case "-h", "--help" -> {
            System.out.print(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown flag " + a);
        }
      } catch (NumberFormatException e) {
        fail("flag " + a + ": '" + value + "' is not a number");
      } catch (IllegalArgumentException e) {
        fail(e.getMessage());
      }
    }
    if (dir == null) {
      dir = Files.createTempDirectory(Path.of("/tmp"), "promsuite-stack-");
    }
    SuiteLayout layout = SuiteLayout.find(Path.of(""));
    StackOptions options = new StackOptions(dir, layout, fast, ha ? 2 : 1, ha ? 2 : 1, federation, privateDockerd,
        standardPorts, rate, errorRatio, true);
    System.out.println("local-stack: starting in " + dir + " (logs in " + dir.resolve("logs") + ")");
    LocalStack stack;
    try {
      stack = LocalStack.start(options, System.out);
    } catch (IOException e) {
      System.err.println("local-stack: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("\nlocal-stack: stopping everything it started");
      stack.close();
      done.countDown();
    }, "stop-stack"));
    System.out.println("\nlocal-stack: up. URLs:");
    for (Map.Entry<String, String> u : new java.util.TreeMap<>(stack.urls()).entrySet()) {
      System.out.printf("  %-20s %s%n", u.getKey(), u.getValue());
    }
    for (String m : stack.missing()) {
      System.out.println("  not started: " + m);
    }
    String gateway = stack.url("inference-gateway");
    System.out.println("\nTry:\n  curl -XPOST '" + gateway + "admin/error-ratio?value=1'   # outage: SLOAvailabilityFastBurn fires"
        + "\n  curl -XPOST '" + gateway + "admin/error-ratio?value=0.001'  # heal"
        + "\n  curl " + stack.url("receivers") + "pagerduty                 # what the on-call got"
        + "\n  echo 'training_loss 0.05' | curl --data-binary @- " + stack.url("pushgateway") + "metrics/job/training/instance/run-1"
        + "\nCtrl-C stops everything.");
    done.await();
  }

  private static void fail(String message) {
    System.err.println("local-stack: " + message + "\n" + USAGE);
    System.exit(2);
  }
}
