package io.promsuite.exporter.blackbox;

import io.promsuite.exporter.common.Exporter;
import io.promsuite.exporter.common.testing.Exposition;
import io.promsuite.exporter.common.testing.Http;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Our exporter started in-process on a free port with a given blackbox.yml, and probe helpers. */
final class ExporterUnderTest implements AutoCloseable {
  final Path config;
  final Exporter.Running running;

  ExporterUnderTest(String yaml, String... flags) throws Exception {
    config = Files.createTempFile("blackbox", ".yml");
    Files.writeString(config, yaml);
    List<String> args = new ArrayList<>(List.of("--web.listen-address=127.0.0.1:0", "--config.file=" + config,
        "--log.level=warn"));
    args.addAll(List.of(flags));
    running = BlackboxExporter.builder().start(args.toArray(String[]::new));
  }

  String base() {
    return "http://127.0.0.1:" + running.port();
  }

  HttpResponse<String> get(String module, String target, String... headers) throws IOException, InterruptedException {
    return Http.get(base() + "/probe?module=" + enc(module) + "&target=" + enc(target), headers);
  }

  /** Probes and parses the metrics; fails the test on a non-200 answer. */
  Exposition probe(String module, String target) throws IOException, InterruptedException {
    HttpResponse<String> r = get(module, target);
    if (r.statusCode() != 200) {
      throw new AssertionError("probe " + module + " " + target + " answered " + r.statusCode() + ": " + r.body());
    }
    return Exposition.parse(r.body());
  }

  String debug(String module, String target) throws IOException, InterruptedException {
    return Http.get(base() + "/probe?debug=true&module=" + enc(module) + "&target=" + enc(target)).body();
  }

  /** The debug output of the same probe, computed only when an assertion fails. */
  java.util.function.Supplier<String> why(String module, String target) {
    return () -> {
      try {
        return debug(module, target);
      } catch (IOException | InterruptedException e) {
        return "no debug output: " + e;
      }
    };
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static double value(Exposition e, String name) {
    return e.value(name, Map.of());
  }

  @Override
  public void close() throws IOException {
    running.close();
    Files.deleteIfExists(config);
  }
}
