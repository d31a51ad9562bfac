package io.promsuite.pushgateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promsuite.pushgateway.SharedGatewayTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each text is pushed as it is (curl-like, PUT) to the real gateway and given to our CLI: what the
 * gateway refuses we refuse; incomplete histograms and summaries the gateway takes and then stores
 * as something else we refuse too, with the line; everything else the gateway takes we take.
 */
class ValidatorVersusGatewayTest extends SharedGatewayTest {

  private static final String H = "# TYPE h histogram\n";
  private static final String S = "# TYPE s summary\n";

  /** A text, whether the gateway takes it, and our message (null: we take it too). */
  record Case(String name, String text, boolean gatewayTakes, String ours) {}

  private static final List<Case> CASES = List.of(
      new Case("valid histogram, lines in any order", H
          + "h_bucket{le=\"1\"} 2\nh_sum 4\nh_bucket{le=\"0.5\"} 1\nh_bucket{le=\"+Inf\"} 3\nh_count 3\n", true, null),
      new Case("valid summary", S + "s{quantile=\"0.5\"} 1\ns{quantile=\"0.9\"} NaN\ns_sum -4\ns_count 3\n", true, null),
      new Case("summary without quantiles", S + "s_sum 4\ns_count 3\n", true, null),
      new Case("two series of one histogram", H + "h_bucket{a=\"x\",le=\"+Inf\"} 1\nh_sum{a=\"x\"} 1\nh_count{a=\"x\"} 1\n"
          + "h_bucket{a=\"y\",le=\"Inf\"} 0\nh_sum{a=\"y\"} 0\nh_count{a=\"y\"} 0\n", true, null),
      new Case("untyped _count may be anything", "u_count -1.5\nu_bucket 2\n", true, null),
      new Case("no +Inf bucket", H + "h_bucket{le=\"1\"} 2\nh_sum 4\nh_count 3\n", true,
          "line 2: histogram 'h' has no h_bucket{le=\"+Inf\"}: it must be there and equal h_count"),
      new Case("+Inf bucket is not _count", H + "h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 5\nh_sum 4\nh_count 3\n", true,
          "line 3: bucket le=\"+Inf\" of 'h' is 5 but h_count is 3 (line 5): they must be equal"),
      new Case("decreasing buckets", H + "h_bucket{le=\"0.5\"} 3\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 3\nh_sum 4\n"
          + "h_count 3\n", true, "line 3: bucket le=\"1\" of 'h' is 2, less than le=\"0.5\" (3, line 2)"),
      new Case("histogram without _count", H + "h_bucket{le=\"+Inf\"} 3\nh_sum 4\n", true,
          "line 2: histogram 'h' has no h_count"),
      new Case("histogram without _sum", H + "h_bucket{le=\"+Inf\"} 3\nh_count 3\n", true,
          "line 2: histogram 'h' has no h_sum"),
      new Case("negative bucket", H + "h_bucket{le=\"1\"} -1\nh_bucket{le=\"+Inf\"} 3\nh_sum 4\nh_count 3\n", true,
          "line 2: count 'h_bucket{le=\"1\"}' is -1: must be a whole number, not negative"),
      new Case("fractional count", H + "h_bucket{le=\"+Inf\"} 2.5\nh_sum 4\nh_count 2.5\n", true,
          "line 2: count 'h_bucket{le=\"+Inf\"}' is 2.5: must be a whole number"),
      new Case("NaN bound", H + "h_bucket{le=\"NaN\"} 1\nh_bucket{le=\"+Inf\"} 3\nh_sum 4\nh_count 3\n", true,
          "line 2: le=\"NaN\" of 'h_bucket{le=\"NaN\"}' is not a bucket bound"),
      new Case("one bound written twice", H + "h_bucket{le=\"1\"} 1\nh_bucket{le=\"1.0\"} 1\nh_bucket{le=\"+Inf\"} 3\nh_sum 4\n"
          + "h_count 3\n", true, "line 3: 'h_bucket{le=\"1.0\"}' repeats le 1.0 of line 2"),
      new Case("summary without _count", S + "s{quantile=\"0.5\"} 1\ns_sum 4\n", true,
          "line 2: summary 's' has no s_count"),
      new Case("summary without _sum", S + "s{quantile=\"0.5\"} 1\ns_count 3\n", true,
          "line 2: summary 's' has no s_sum"),
      new Case("quantile above 1", S + "s{quantile=\"1.5\"} 1\ns_sum 4\ns_count 3\n", true,
          "line 2: quantile=\"1.5\" of 's{quantile=\"1.5\"}' is outside [0, 1]"),
      new Case("negative summary count", S + "s{quantile=\"0.5\"} 1\ns_sum 4\ns_count -3\n", true,
          "line 4: count 's_count' is -3: must be a whole number, not negative"),
      new Case("le not a number", H + "h_bucket{le=\"abc\"} 1\nh_bucket{le=\"+Inf\"} 3\nh_sum 4\nh_count 3\n", false,
          "line 2: label le=\"abc\" of 'h_bucket' is not a number"),
      new Case("quantile not a number", S + "s{quantile=\"abc\"} 1\ns_sum 4\ns_count 3\n", false,
          "line 2: label quantile=\"abc\" of 's' is not a number"));

  @Test
  void weRefuseWhatTheGatewayRefusesAndIncompleteHistogramsAndSummariesAndNothingElse() throws Exception {
    List<String> mismatches = new ArrayList<>();
    try (HttpClient http = HttpClient.newHttpClient()) {
      for (int i = 0; i < CASES.size(); i++) {
        Case c = CASES.get(i);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics/job/case" + i))
            .PUT(HttpRequest.BodyPublishers.ofString(c.text())).build(), HttpResponse.BodyHandlers.ofString());
        boolean taken = r.statusCode() == 200;
        if (taken != c.gatewayTakes()) {
          mismatches.add(c.name() + ": the gateway answered " + r.statusCode() + " " + r.body());
        }
        String ours;
        try {
          ExpositionTextValidator.validate(c.text().getBytes(StandardCharsets.UTF_8));
          ours = null;
        } catch (ExpositionTextException e) {
          ours = e.getMessage();
        }
        if (c.ours() == null ? ours != null : ours == null || !ours.startsWith(c.ours())) {
          mismatches.add(c.name() + ": we said " + ours + ", expected " + c.ours());
        }
      }
    }
    assertEquals(List.of(), mismatches);
  }

  /** Why the incomplete ones are refused: the gateway keeps something other than what was sent. */
  @Test
  void theGatewayStoresSomethingElseForAnIncompleteHistogram() throws Exception {
    int negative = index("negative bucket");
    int noCount = index("histogram without _count");
    int noInf = index("no +Inf bucket");
    try (HttpClient http = HttpClient.newHttpClient()) {
      for (int i : new int[] {negative, noCount, noInf}) {
        http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/metrics/job/stored" + i))
            .PUT(HttpRequest.BodyPublishers.ofString(CASES.get(i).text())).build(), HttpResponse.BodyHandlers.ofString());
      }
    }
    String metrics = gateway.get("/metrics").body();
    // -1 in a bucket wraps around as an unsigned 64-bit count
    assertTrue(metrics.contains("h_bucket{instance=\"\",job=\"stored" + negative + "\",le=\"1\"} 1.8446744073709552e+19"), metrics);
    // a missing _count becomes 0
    assertTrue(metrics.contains("h_count{instance=\"\",job=\"stored" + noCount + "\"} 0"), metrics);
    // a missing +Inf bucket is made up from _count
    assertTrue(metrics.contains("h_bucket{instance=\"\",job=\"stored" + noInf + "\",le=\"+Inf\"} 3"), metrics);
  }

  @Test
  void theCliRefusesAnIncompleteHistogramWithFileAndLineAndSendsNothing() throws Exception {
    Path file = dir.resolve("latency.prom");
    Files.writeString(file, CASES.get(index("+Inf bucket is not _count")).text());
    PushGatewayCliRunner.Run r = PushGatewayCliRunner.run("", "push", "--gateway", "127.0.0.1:" + gateway.port(),
        "--job", "cli_incomplete", file.toString());
    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().startsWith("pushgateway-client: " + file + ":3: bucket le=\"+Inf\" of 'h' is 5 but h_count is 3"),
        r.err());
    assertTrue(r.err().strip().endsWith("(nothing was sent)"), r.err());
    JsonNode none = gateway.group(Map.of("job", "cli_incomplete"));
    assertNull(none);
  }

  private static int index(String name) {
    for (int i = 0; i < CASES.size(); i++) {
      if (CASES.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException(name);
  }
}
