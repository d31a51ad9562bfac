package io.promsuite.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A container for the container exporter to report on, run in the stack's private dockerd. No
 * registry is reachable, so its image is imported from a root filesystem holding Debian's static
 * busybox; it runs with no network and a 64 MiB memory limit.
 */
final class DemoContainer {
  static final String NAME = "model-server";
  static final long MEMORY_LIMIT = 64L << 20;

  private DemoContainer() {}

  static void run(Path dockerSocket, Path workDir) throws Exception {
    Path root = Files.createDirectories(workDir.resolve("rootfs/bin"));
    Files.copy(Path.of("/bin/busybox"), root.resolve("busybox"));
    for (String applet : List.of("sh", "sleep")) {
      Files.createSymbolicLink(root.resolve(applet), Path.of("busybox"));
    }
    String docker = "/usr/bin/docker -H unix://" + dockerSocket;
    sh("tar -C " + root.getParent() + " -c . | " + docker + " import - promsuite/busybox:e2e");
    sh(docker + " run -d --network none --name " + NAME + " --memory " + MEMORY_LIMIT
        + " promsuite/busybox:e2e /bin/sleep 3600");
  }

  /** Removes the container at once (its sleep ignores SIGTERM, so a stop would wait 10 s). */
  static void remove(Path dockerSocket) throws Exception {
    sh("/usr/bin/docker -H unix://" + dockerSocket + " rm -f " + NAME);
  }

  private static void sh(String command) throws Exception {
    Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(command + " failed:\n" + out);
    }
  }
}
