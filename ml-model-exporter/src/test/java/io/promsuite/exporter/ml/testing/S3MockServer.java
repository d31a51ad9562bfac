package io.promsuite.exporter.ml.testing;

import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Adobe S3Mock, a real S3-compatible server, run as its own JVM on a free loopback port so that its
 * Spring Boot stays off our classpath. The jar is copied into target/s3mock/ by the build.
 */
public final class S3MockServer implements AutoCloseable {
  private final RealProcess process;
  private final int port;

  private S3MockServer(RealProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts S3Mock with the given buckets; skips (fails under CI) when the jar is missing. */
  public static S3MockServer start(Path workDir, String... buckets) throws IOException, InterruptedException {
    String jarProp = System.getProperty("s3mock.jar", "target/s3mock/s3mock.jar");
    Path jar = Path.of(jarProp);
    if (!Files.isRegularFile(jar)) {
      RealParts.missing("S3Mock jar " + jar + " is missing (the build copies it at process-test-classes)");
    }
    int port = Ports.free();
    Path root = Files.createDirectories(workDir.resolve("s3mock-root"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Tests want a quick start (C1 only); the benchmark's long runs want -Ds3mock.jvm="-Xmx1g" (C2, bigger heap).
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(List.of(System.getProperty("s3mock.jvm", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx384m").split(" ")));
    cmd.addAll(List.of("-Xss512k", "-jar", jar.toAbsolutePath().toString(),
        "--http.port=" + port, "--server.port=0", "--server.address=127.0.0.1",
        "--com.adobe.testing.s3mock.store.root=" + root,
        "--com.adobe.testing.s3mock.store.initial-buckets=" + String.join(",", buckets),
        "--logging.level.root=WARN"));
    RealProcess p = RealProcess.start(cmd, workDir.resolve("s3mock.log"));
    try {
      p.awaitHttp("http://127.0.0.1:" + port + "/", Duration.ofSeconds(120));
    } catch (RuntimeException | InterruptedException e) {
      p.close();
      throw e;
    }
    return new S3MockServer(p, port);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.close();
  }
}
