package io.promsuite.exporter.ml.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.IntConsumer;

/** Runs {@code task(0..count-1)} on virtual threads, at most {@code concurrency} at once (seeding S3 stores). */
public final class Parallel {
  private Parallel() {}

  public static void forEach(int count, int concurrency, IntConsumer task) throws Exception {
    Semaphore permits = new Semaphore(concurrency);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> all = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int n = i;
        all.add(pool.submit(() -> {
          permits.acquireUninterruptibly();
          try {
            task.accept(n);
          } finally {
            permits.release();
          }
        }));
      }
      for (Future<?> f : all) {
        f.get(); // rethrows the first failure
      }
    }
  }
}
