package io.promsuite.pushgateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.pushgateway.RealPushgateway;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outage: the gateway goes away, runs of a job spool, one run is killed mid-retry and
 * re-run, the gateway comes back, flush delivers, and the gateway shows every run once, in order.
 * Each run is its own JVM, as a cron job would be.
 */
class OutageTest {

  @TempDir Path dir;

  private static String run(int n) {
    return "# TYPE nightly_run_" + n + "_rows gauge\nnightly_run_" + n + "_rows " + (101 * n)
        + "\n# TYPE nightly_last_run gauge\nnightly_last_run " + n + "\n";
  }

  private String[] push(RealPushgateway gw, String deadline) {
    return new String[] {"push", "--gateway", gw.url(), "--job", "nightly", "--label", "host=/dev/sda",
        "--method", "post", "--spool", dir.resolve("spool").toString(), "--retry-deadline", deadline, "-"};
  }

  private List<Path> spooled() throws Exception {
    try (var files = Files.list(dir.resolve("spool"))) {
      return files.filter(f -> f.toString().endsWith(".push")).sorted().toList();
    }
  }

  /** Whether another process holds the spool's lock, i.e. is inside a push or flush. */
  private boolean spoolBusy() throws Exception {
    Path lock = dir.resolve("spool").resolve(".lock");
    if (!Files.exists(lock)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE); FileLock l = ch.tryLock()) {
      return l == null;
    }
  }

  @Test
  void everyRunReachesTheGatewayOnceAndInOrderAcrossAnOutageAndAKill() throws Exception {
    Map<String, String> group = Map.of("job", "nightly", "host", "/dev/sda");
    try (RealPushgateway gw = RealPushgateway.start(dir.resolve("gw"))) {
      CliProcess.Result r1 = CliProcess.run(dir.resolve("run1"), run(1), push(gw, "5s"));
      assertEquals(0, r1.exit(), r1.stderr());

      gw.stop();
      CliProcess.Result r2 = CliProcess.run(dir.resolve("run2"), run(2), push(gw, "2s"));
      assertEquals(3, r2.exit(), r2.stderr());
      assertTrue(r2.stderr().contains("was spooled"), r2.stderr());
      assertEquals(1, spooled().size());

      // Run 3 retries for up to two minutes, holding the spool; it is killed in the middle.
      try (CliProcess killed = CliProcess.start(dir.resolve("run3-killed"), run(3), push(gw, "120s"))) {
        Poll.until(Duration.ofSeconds(60), "run 3 to take the spool", () -> {
          if (!killed.process.isAlive()) {
            throw Poll.abort("run 3 ended early: " + killed.stderrSoFar());
          }
          return spoolBusy();
        });
        killed.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      assertEquals(1, spooled().size(), "the kill lost nothing that was spooled");

      CliProcess.Result r3 = CliProcess.run(dir.resolve("run3"), run(3), push(gw, "2s"));
      assertEquals(3, r3.exit(), r3.stderr());
      assertEquals(2, spooled().size());

      gw.startAgain();
      JsonNode before = gw.group(group);
      assertEquals("1", RealPushgateway.value(before, "nightly_last_run"), "run 1 survived the restart: " + before);

      CliProcess.Result flush = CliProcess.run(dir.resolve("flush"), "",
          "flush", "--gateway", gw.url(), "--spool", dir.resolve("spool").toString());
      assertEquals(0, flush.exit(), flush.stderr());
      assertEquals("delivered 2, rejected 0, left in spool 0", flush.stdout().strip());

      JsonNode g = gw.group(group);
      assertEquals("101", RealPushgateway.value(g, "nightly_run_1_rows"));
      assertEquals("202", RealPushgateway.value(g, "nightly_run_2_rows"));
      assertEquals("303", RealPushgateway.value(g, "nightly_run_3_rows"));
      assertEquals("3", RealPushgateway.value(g, "nightly_last_run"), "run 3 arrived after run 2");
      assertEquals(2, gw.pushRequests("200", "post"), "the restarted gateway got runs 2 and 3 once each");
      assertEquals(List.of(), spooled());
    }
  }
}
