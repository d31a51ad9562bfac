// A program written for client_java's PushGateway. ClientJavaCompatibilityTest compiles it as it is
// and again with its imports changed to io.promsuite.pushgateway, and compares what each run
// leaves on a real Pushgateway. Nothing else in it may change between the two.
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.exporter.pushgateway.Format;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;

public final class CompatProgram {

  public static void main(String[] args) throws Exception {
    System.out.println(run(args));
  }

  /** Runs one scenario against the gateway at args[1] (host:port) and says how it ended. */
  public static String run(String... args) throws Exception {
    String address = args[1];
    try {
      switch (args[0]) {
        case "semantics" -> semantics(address);
        case "grouping" -> grouping(address);
        case "space" -> PushGateway.builder().address(address).job("compat").groupingKey("note", "a b")
            .registry(second()).build().push();
        case "basic-auth" -> PushGateway.builder().address(address).scheme(Scheme.HTTP).job("compat")
            .groupingKey("auth", "basic").basicAuth(args[2], args[3]).registry(first()).build().push();
        case "type-clash" -> {
          // compat_latency_seconds is a histogram in other groups
          PrometheusRegistry r = new PrometheusRegistry();
          Gauge.builder().name("compat_latency_seconds").register(r).set(1);
          PushGateway.builder().address(address).job("compat_clash").registry(r)
              .build().push();
        }
        case "defaults" -> {
          // The address is overridden by -Dio.prometheus.exporter.pushgateway.address, the job is
          // the JAR's name unless -Dio.prometheus.exporter.pushgateway.job says otherwise.
          PushGateway.builder().address("localhost:1").groupingKey("step", "defaults").build().push(dotted());
        }
        default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
      }
      return "ok";
    } catch (IOException e) {
      return "IOException";
    }
  }

  private static void semantics(String address) throws IOException {
    // push (PUT) replaces the whole group
    PushGateway.builder().address(address).job("compat").groupingKey("step", "put").registry(first()).build().push();
    PushGateway.builder().address(address).job("compat").groupingKey("step", "put").registry(second()).build().push();
    // pushAdd (POST) replaces only same-named metrics
    PushGateway.builder().address(address).job("compat").groupingKey("step", "post").registry(first()).build().push();
    PushGateway.builder().address(address).job("compat").groupingKey("step", "post").registry(second()).build()
        .pushAdd();
    // one collector, then one multi-collector added
    PushGateway collectors = PushGateway.builder().address(address).job("compat").groupingKey("step", "collector")
        .build();
    Gauge single = Gauge.builder().name("compat_single").help("One gauge.").build();
    single.set(42);
    collectors.push(single);
    MultiCollector two = () -> new MetricSnapshots(gauge("compat_multi_a", 1), gauge("compat_multi_b", 2));
    collectors.pushAdd(two);
    Counter added = Counter.builder().name("compat_added").build();
    added.inc(5);
    collectors.pushAdd(added);
    // delete removes the group
    PushGateway gone = PushGateway.builder().address(address).job("compat").groupingKey("step", "deleted")
        .registry(first()).build();
    gone.push();
    gone.delete();
    // the text format, and a name that needs escaping
    PushGateway.builder().address(address).job("compat").groupingKey("step", "text").format(Format.PROMETHEUS_TEXT)
        .registry(first()).build().push();
    PushGateway.builder().address(address).job("compat").groupingKey("step", "dotted").build().push(dotted());
  }

  private static void grouping(String address) throws IOException {
    PushGateway.builder().address(address).job("batch/nightly").groupingKey("path", "/var/lib/compat")
        .groupingKey("empty", "").groupingKey("city", "Zürich").registry(second()).build().push();
    PushGateway.builder().address(address).job("compat").instanceIpGroupingKey().groupingKey("step", "ip")
        .registry(second()).build().push();
  }

  private static PrometheusRegistry first() {
    PrometheusRegistry r = new PrometheusRegistry();
    Gauge.builder().name("compat_value").help("A value.").labelNames("kind").register(r).labelValues("a").set(1);
    Counter.builder().name("compat_events").help("Events.").register(r).inc(3);
    Histogram h = Histogram.builder().name("compat_latency_seconds").classicOnly().classicUpperBounds(0.1, 1)
        .register(r);
    h.observe(0.5);
    h.observe(2);
    Summary s = Summary.builder().name("compat_size_bytes").quantile(0.5).register(r);
    s.observe(10);
    return r;
  }

  private static PrometheusRegistry second() {
    PrometheusRegistry r = new PrometheusRegistry();
    Gauge.builder().name("compat_value").help("A value.").labelNames("kind").register(r).labelValues("b").set(2);
    Gauge.builder().name("compat_other").register(r).set(7);
    return r;
  }

  private static Gauge dotted() {
    Gauge g = Gauge.builder().name("compat.dotted.value").help("A name with dots.").build();
    g.set(3);
    return g;
  }

  private static GaugeSnapshot gauge(String name, double value) {
    return GaugeSnapshot.builder().name(name)
        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
  }
}
