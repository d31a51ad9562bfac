package io.promsuite.exporter.container.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Poll;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Scrapes an exporter's /metrics and picks samples by label subsets; polls for a condition. */
public final class Scrape {
  private Scrape() {}

  public static Exposition metrics(int port) throws IOException, InterruptedException {
    HttpResponse<String> r = Http.get("http://127.0.0.1:" + port + "/metrics");
    assertEquals(200, r.statusCode(), r.body());
    return Exposition.parse(r.body());
  }

  /** Samples of {@code name} whose labels include {@code subset}. */
  public static List<Exposition.Sample> samples(Exposition e, String name, Map<String, String> subset) {
    return e.samples(name).stream().filter(s -> s.labels().entrySet().containsAll(subset.entrySet())).toList();
  }

  /** The sum of the samples of {@code name} whose labels include {@code subset}; NaN when none. */
  public static double sum(Exposition e, String name, Map<String, String> subset) {
    List<Exposition.Sample> s = samples(e, name, subset);
    return s.isEmpty() ? Double.NaN : s.stream().mapToDouble(Exposition.Sample::value).sum();
  }

  /** Scrapes until {@code condition} holds; fails with the last exposition's exporter samples after {@code timeout}. */
  public static Exposition until(int port, Duration timeout, String what, Predicate<Exposition> condition) {
    return Poll.until(timeout, what, () -> metrics(port), condition, last -> last.samples.size() + " samples: "
        + last.samples.stream().filter(s -> s.name().startsWith("container_exporter")
            || s.name().equals("container_memory_usage_bytes")).toList());
  }
}
