package io.promsuite.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.e2e.receivers.Notification;
import io.promsuite.e2e.receivers.WebhookReceivers;
import io.promsuite.e2e.stack.LocalStack;
import io.promsuite.e2e.stack.StackOptions;
import io.promsuite.e2e.stack.SuiteLayout;
import io.promsuite.exporter.common.testing.DockerDaemon;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.TempDirs;
import io.promsuite.pushgateway.BatchJob;
import io.promsuite.pushgateway.GroupingKey;
import io.promsuite.pushgateway.PushGateway;
import io.promsuite.pushgateway.PushResult;
import io.promsuite.pushgateway.RetryPolicy;
import io.prometheus.metrics.core.metrics.Gauge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The stack {@link EndToEndStackTest} drives: the fast {@link LocalStack} (HA Prometheus pair,
 * two-node Alertmanager cluster, federation, the stack's private dockerd) in a directory under
 * /tmp, the APIs the test reads, and a demo container in that dockerd for the container exporter
 * to report on. Closing it stops everything it started and deletes the directory unless asked to
 * keep it (logs and generated configs of a failed run).
 */
final class E2eStack implements AutoCloseable {
  /** The container in the stack's dockerd: busybox sleeping, no network, a 64 MiB memory limit. */
  static final String DEMO_CONTAINER = "model-server";
  static final long DEMO_MEMORY_LIMIT = 64L << 20;
  /** Every receiver of the reference routing tree, as the local receivers name them. */
  static final List<String> RECEIVERS = List.of("pagerduty", "slack-critical", "slack-ml-team", "slack-infra-team", "email-fallback");

  final Path workDir;
  private final LocalStack local;
  final PromApi a;
  final PromApi b;
  final PromApi global;
  final AlertmanagerApi am1;
  final AlertmanagerApi am2;
  final WebhookReceivers rx;
  /** The suite's own Pushgateway client: one attempt, then its spool (pushes while the gateway is down). */
  final PushGateway pushClient;
  private final String gateway;
  private DockerDaemon docker;
  private volatile boolean keepFiles;

  private E2eStack(Path workDir, LocalStack stack) throws IOException {
    this.workDir = workDir;
    this.local = stack;
    a = new PromApi("prometheus-a", stack.url("prometheus-a"));
    b = new PromApi("prometheus-b", stack.url("prometheus-b"));
    global = new PromApi("prometheus-global", stack.url("prometheus-global"));
    am1 = new AlertmanagerApi("alertmanager-1", stack.url("alertmanager-1"));
    am2 = new AlertmanagerApi("alertmanager-2", stack.url("alertmanager-2"));
    rx = stack.receivers();
    gateway = stack.url("inference-gateway");
    pushClient = PushGateway.builder(stack.url("pushgateway")).retryPolicy(RetryPolicy.NONE)
        .spool(Files.createDirectories(workDir.resolve("push-spool"))).build();
  }

  /** Starts the stack with the gateway's traffic; skips on a laptop without its parts, fails under CI=true. */
  static E2eStack start(double rate, double errorRatio) throws Exception {
    for (String bin : List.of("/usr/bin/prometheus", "/usr/bin/prometheus-alertmanager", "/usr/bin/prometheus-pushgateway",
        "/usr/sbin/dockerd", "/usr/sbin/dnsmasq")) {
      RealParts.require(bin);
    }
    if (!RealParts.isRoot()) {
      RealParts.missing("the stack's private dockerd (for the container exporter) needs root");
    }
    SuiteLayout layout = SuiteLayout.find(Path.of(""));
    if (!layout.missingReferences().isEmpty()) {
      RealParts.missing("packaging reference files missing: " + layout.missingReferences());
    }
    // Under /tmp: dockerd's and containerd's socket paths must stay short.
    Path workDir = Files.createTempDirectory(Path.of("/tmp"), "promsuite-e2e-");
    System.out.println("e2e stack in " + workDir);
    LocalStack stack = LocalStack.start(new StackOptions(workDir, layout, true, 2, 2, true, true, false, rate, errorRatio, false),
        System.out);
    if (!stack.missing().isEmpty()) {
      List<String> missing = stack.missing();
      stack.close();
      RealParts.missing("parts of the stack are not available: " + missing);
    }
    E2eStack running;
    try {
      running = new E2eStack(workDir, stack);
    } catch (IOException | RuntimeException e) {
      stack.close();
      throw e;
    }
    try {
      running.keepFiles = true;  // until the demo container runs: a failed start keeps its logs
      running.docker = DockerDaemon.attach(workDir.resolve("docker/docker.sock"));
      running.docker.runContainer("--name", DEMO_CONTAINER, "--memory", Long.toString(DEMO_MEMORY_LIMIT),
          running.docker.importBusyboxImage(DockerDaemon.BUSYBOX_IMAGE), "/bin/sleep", "3600");
      running.keepFiles = false;
    } catch (Exception | Error e) {
      running.close();
      throw e;
    }
    return running;
  }

  /** Keeps the work directory (logs, generated configs) when the stack is closed. */
  void keepFiles() {
    keepFiles = true;
  }

  /** SIGKILLs these parts of the stack ("host-exporter", "alertmanager-2", ...). */
  void kill(String... parts) throws InterruptedException {
    for (String part : parts) {
      local.process(part).kill();
    }
  }

  /** Starts these killed parts again, all at once, and waits until each is ready. */
  void restart(String... parts) throws IOException, InterruptedException {
    for (String part : parts) {
      local.process(part).start();
    }
    for (String part : parts) {
      local.process(part).awaitReady(Duration.ofSeconds(60));
    }
  }

  List<Notification> notes(String receiver, String alertname, String status) {
    return rx.of(receiver, n -> n.status().equals(status) && n.isAbout(alertname));
  }

  List<Notification> notesFor(String receiver, String alertname, String service, String status) {
    return rx.of(receiver, n -> n.status().equals(status) && n.isAbout(alertname) && service.equals(n.groupLabels().get("service")));
  }

  /** Fails if a receiver other than {@code told} got a notification with an alert named {@code alertname}. */
  void assertOnlyTold(String alertname, String... told) {
    for (String r : RECEIVERS) {
      if (!List.of(told).contains(r)) {
        assertEquals(List.of(), rx.of(r, n -> n.alerts().stream().anyMatch(al -> al.name().equals(alertname))),
            r + " was told of " + alertname);
      }
    }
  }

  /** The demo gateway's share of failing requests from now on. */
  void setErrorRatio(double ratio) throws Exception {
    var r = Http.post(gateway + "admin/error-ratio?value=" + ratio, "");
    assertEquals(200, r.statusCode(), r.body());
  }

  /** Waits until both Prometheus servers see {@code downJobs} down and {@code upJobs} still up. */
  void expectDown(List<String> downJobs, List<String> upJobs) throws Exception {
    for (PromApi p : List.of(a, b)) {
      Poll.untilOk(Duration.ofSeconds(20), "killed jobs down and the others up on " + p.name(), () -> {
        Map<String, Double> up = p.byLabel("max by (job) (up)", "job");
        for (String j : downJobs) {
          assertEquals(0.0, up.get(j), p.name() + ": up of killed " + j);
        }
        for (String j : upJobs) {
          assertEquals(1.0, up.get(j), p.name() + ": up of " + j + " while others are down");
        }
        return null;
      });
    }
  }

  /** Runs a batch job with the suite's client: its metric, timed, with its outcome, pushed on close. */
  PushResult runBatchJob(String job, String instance, String metric, double value) throws Exception {
    BatchJob run = BatchJob.start(pushClient, GroupingKey.of(job).with("instance", instance));
    try (run) {
      Gauge.builder().name(metric).help("Result of the " + job + " run.").register(run.registry()).set(value);
      run.succeeded();
    }
    return run.result();
  }

  /** Prints the notifications received, removes the demo container, stops the stack by PID; deletes or keeps its files. */
  @Override
  public void close() {
    try {
      System.out.println("notifications received:");
      rx.all().forEach(n -> System.out.println("  " + n.receivedAt() + " " + n.summary()));
      pushClient.close();
      if (docker != null) {
        try {
          // Removed at once: its sleep ignores SIGTERM, so dockerd's own stop would wait 10 s for it.
          var removed = docker.tryDocker("rm", "-f", DEMO_CONTAINER);
          if (removed.exit() != 0) {
            System.out.println("could not remove the demo container: " + removed.output());
          }
        } finally {
          docker.close();
        }
      }
    } finally {
      local.close();
      if (keepFiles) {
        System.out.println("logs and generated configs kept in " + workDir);
      } else {
        TempDirs.delete(workDir);
      }
    }
  }
}
