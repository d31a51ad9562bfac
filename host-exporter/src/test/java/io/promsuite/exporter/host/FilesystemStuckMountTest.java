package io.promsuite.exporter.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Golden;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A mount whose statvfs hangs (a dead NFS server) is reported as an error and left alone until it answers. */
class FilesystemStuckMountTest {

  @Test
  void hangingMountIsMarkedStuckAndTheOthersAreServed() throws Exception {
    CountDownLatch nfsAnswers = new CountDownLatch(1);
    AtomicInteger nfsCalls = new AtomicInteger();
    FilesystemCollector.StatFs statfs = path -> {
      if (path.endsWith("/srv/data set")) {
        nfsCalls.incrementAndGet();
        try {
          nfsAnswers.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      return FilesystemCollectorTest.fakeStatfs(path);
    };
    FilesystemCollector c = new FilesystemCollector(FilesystemCollectorTest.PATHS,
        Pattern.compile(FilesystemCollector.DEFAULT_MOUNT_POINTS_EXCLUDE),
        Pattern.compile(FilesystemCollector.DEFAULT_FS_TYPES_EXCLUDE), statfs, Duration.ofMillis(200));
    Map<String, String> data = Map.of("device", "/dev/vdb", "fstype", "xfs", "mountpoint", "/srv/data set");
    Map<String, String> root = Map.of("device", "/dev/vda", "fstype", "ext4", "mountpoint", "/");

    Exposition first = Exposition.parse(Golden.render(c));
    assertEquals(1, first.value("node_filesystem_device_error", data));
    assertTrue(Double.isNaN(first.value("node_filesystem_size_bytes", data)));
    assertEquals(4096.0 * 1000, first.value("node_filesystem_size_bytes", root), "the other mounts are served");

    Exposition second = Exposition.parse(Golden.render(c));
    assertEquals(1, second.value("node_filesystem_device_error", data));
    assertEquals(1, nfsCalls.get(), "a stuck mount is not called again");

    nfsAnswers.countDown();
    for (int i = 0; i < 100 && nfsCalls.get() == 1; i++) {
      Exposition e = Exposition.parse(Golden.render(c));
      if (e.value("node_filesystem_device_error", data) == 0) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    Exposition recovered = Exposition.parse(Golden.render(c));
    assertEquals(0, recovered.value("node_filesystem_device_error", data));
    assertEquals(2000.0 * 4096, recovered.value("node_filesystem_size_bytes", data));
  }
}
