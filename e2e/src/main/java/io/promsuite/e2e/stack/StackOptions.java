package io.promsuite.e2e.stack;

import java.nio.file.Path;

/**
 * What a {@link LocalStack} runs.
 *
 * @param fast 1 s scrape/evaluation and the rules and route timers scaled down (test mode);
 *     otherwise the reference files' own intervals and windows
 * @param prometheusReplicas 1, or 2 for the HA pair scraping the same targets
 * @param alertmanagers 1, or 2 gossiping as a cluster on loopback
 * @param federation also run a global Prometheus federating slo:.* from the regional ones
 * @param privateDockerd start a private dockerd (root only) rather than use /var/run/docker.sock
 * @param standardPorts use the well-known ports (9090, 9093, 8000, ...) where they are free
 * @param trafficRate the demo gateway's requests per second
 * @param errorRatio the demo gateway's initial share of failures
 * @param demoModels the ML exporter reads the suite's demo model store (packaging/ml-model-exporter/demo-models);
 *     otherwise the test scenario's store: one fresh model and one 10 days old
 */
public record StackOptions(Path workDir, SuiteLayout layout, boolean fast, int prometheusReplicas, int alertmanagers,
    boolean federation, boolean privateDockerd, boolean standardPorts, double trafficRate, double errorRatio,
    boolean demoModels) {

  /** Fast mode's factors: an hour of the rules is a minute; a route's 5 minutes are 10 s. */
  public static final double RULE_DIVISOR = 60;
  public static final long WINDOW_FLOOR_MILLIS = 4000;
  public static final double ROUTE_DIVISOR = 30;
  public static final String FAST_INTERVAL = "1s";

  public StackOptions {
    if (prometheusReplicas < 1 || prometheusReplicas > 2 || alertmanagers < 1 || alertmanagers > 2) {
      throw new IllegalArgumentException("1 or 2 Prometheus replicas and Alertmanagers, got " + prometheusReplicas + " and " + alertmanagers);
    }
  }
}
