import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load for /probe: N clients each send the next request when the last answered, for a
 * fixed time (bounded, loopback only). Prints probes/s, p50/p99 latency and failures as one line.
 * Usage: java LoadGen.java URL CLIENTS SECONDS
 */
public class LoadGen {
  public static void main(String[] args) throws Exception {
    URI uri = URI.create(args[0]);
    int clients = Integer.parseInt(args[1]);
    long seconds = Long.parseLong(args[2]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<List<Long>> latencies = new ArrayList<>();
    AtomicLong failures = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      List<Long> mine = new ArrayList<>();
      latencies.add(mine);
      threads.add(Thread.ofPlatform().start(() -> {
        while (System.nanoTime() < end) {
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || !r.body().contains("probe_success 1")) {
              failures.incrementAndGet();
            }
          } catch (Exception e) {
            failures.incrementAndGet();
          }
          mine.add(System.nanoTime() - t0);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    List<Long> all = new ArrayList<>();
    latencies.forEach(all::addAll);
    Collections.sort(all);
    double p50 = all.get(all.size() / 2) / 1e6;
    double p99 = all.get((int) Math.min(all.size() - 1, Math.ceil(all.size() * 0.99) - 1)) / 1e6;
    System.out.printf("probes=%d probes_per_s=%.0f p50_ms=%.2f p99_ms=%.2f failures=%d%n",
        all.size(), all.size() / (double) seconds, p50, p99, failures.get());
  }
}
