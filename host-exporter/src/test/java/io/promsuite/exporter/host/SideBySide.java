package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Debian's node_exporter 1.5 and ours started with the same flags (a fixture tree, a textfile
 * directory, a set of collectors), scraped at once and compared family by family: names, types,
 * HELP, label sets and values. node_exporter's output is the expected result.
 */
final class SideBySide implements AutoCloseable {
  private final RealProcess theirs;
  private final Exporter.Running ours;
  private final String theirsUrl;
  private final String oursUrl;

  private SideBySide(RealProcess theirs, String theirsUrl, Exporter.Running ours) {
    this.theirs = theirs;
    this.theirsUrl = theirsUrl;
    this.ours = ours;
    this.oursUrl = "http://127.0.0.1:" + ours.port() + "/metrics";
  }

  static SideBySide start(Path log, List<String> args) throws Exception {
    Path bin = RealParts.require("/usr/bin/prometheus-node-exporter");
    int port = Ports.free();
    List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--web.listen-address=127.0.0.1:" + port));
    cmd.addAll(args);
    RealProcess ne = RealProcess.start(cmd, log);
    String url = "http://127.0.0.1:" + port + "/metrics";
    try {
      ne.awaitHttp(url, Duration.ofSeconds(20));
      List<String> mine = new ArrayList<>(List.of("--web.listen-address=127.0.0.1:0"));
      mine.addAll(args);
      return new SideBySide(ne, url, HostExporter.builder().start(mine.toArray(String[]::new)));
    } catch (Exception | Error e) {
      ne.close();
      throw e;
    }
  }

  /** Both bodies, scraped concurrently: [ours, node_exporter's]. */
  String[] scrape() throws Exception {
    CompletableFuture<String> t = CompletableFuture.supplyAsync(() -> body(theirsUrl));
    CompletableFuture<String> o = CompletableFuture.supplyAsync(() -> body(oursUrl));
    return new String[] {o.get(), t.get()};
  }

  private static String body(String url) {
    try {
      return Http.get(url).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> helps(String body) {
    Map<String, String> out = new TreeMap<>();
    body.lines().filter(l -> l.startsWith("# HELP ")).forEach(l -> {
      String rest = l.substring(7);
      int sp = rest.indexOf(' ');
      out.put(sp < 0 ? rest : rest.substring(0, sp), sp < 0 ? "" : rest.substring(sp + 1));
    });
    return out;
  }

  /**
   * Same families (those {@code compared} selects), types, HELP, label sets and values. Empty
   * label values are dropped first: Prometheus reads {@code a=""} as no label {@code a}.
   */
  static void assertSame(String ours, String theirs, Predicate<String> compared) {
    assertSameWithin(ours, theirs, compared, 0, 0);
  }

  /**
   * As {@link #assertSame}, values within {@code relative} of node_exporter's or {@code absolute}
   * of it, whichever is larger (live counters move between the two reads).
   */
  static void assertSameWithin(String ours, String theirs, Predicate<String> compared, double relative, double absolute) {
    Exposition mine = Exposition.parse(ours);
    Exposition expected = Exposition.parse(theirs);
    Map<String, String> myTypes = new TreeMap<>(mine.types);
    Map<String, String> theirTypes = new TreeMap<>(expected.types);
    myTypes.keySet().removeIf(compared.negate());
    theirTypes.keySet().removeIf(compared.negate());
    Set<String> missing = new TreeSet<>(theirTypes.keySet());
    missing.removeAll(myTypes.keySet());
    Set<String> extra = new TreeSet<>(myTypes.keySet());
    extra.removeAll(theirTypes.keySet());
    assertEquals(Set.of(), missing, "families node_exporter serves and we do not");
    assertEquals(Set.of(), extra, "families we serve and node_exporter does not");
    assertEquals(theirTypes, myTypes, "types");
    Map<String, String> myHelp = helps(ours);
    Map<String, String> theirHelp = helps(theirs);
    for (String family : theirTypes.keySet()) {
      assertEquals(theirHelp.get(family), myHelp.get(family), "HELP of " + family);
    }
    Map<String, Double> want = samples(expected, theirTypes.keySet());
    Map<String, Double> got = samples(mine, theirTypes.keySet());
    assertEquals(want.keySet(), got.keySet(), "samples");
    for (Map.Entry<String, Double> e : want.entrySet()) {
      double t = e.getValue();
      double m = got.get(e.getKey());
      if (Double.compare(t, m) != 0 && !(Math.abs(t - m) <= Math.max(absolute, relative * Math.abs(t)))) {
        assertEquals(t, m, e.getKey());
      }
    }
  }

  /** name{labels} -> value, for the samples of the given families. */
  private static Map<String, Double> samples(Exposition e, Set<String> families) {
    Map<String, Double> out = new TreeMap<>();
    for (Exposition.Sample s : e.samples) {
      if (!families.contains(s.name()) && !families.contains(base(s.name()))) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>(s.labels());
      labels.values().removeIf(String::isEmpty);
      out.put(s.name() + labels, s.value());
    }
    return out;
  }

  private static String base(String sample) {
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (sample.endsWith(suffix)) {
        return sample.substring(0, sample.length() - suffix.length());
      }
    }
    return sample;
  }

  static Set<String> families(String body) {
    return Exposition.parse(body).types.keySet().stream().collect(Collectors.toCollection(TreeSet::new));
  }

  @Override
  public void close() {
    ours.close();
    theirs.close();
  }
}
