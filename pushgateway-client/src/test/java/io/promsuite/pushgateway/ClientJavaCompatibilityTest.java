package io.promsuite.pushgateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One program written for client_java's {@code PushGateway} (src/test/resources/compat), compiled
 * as it is and with only its imports changed to ours, each run against its own real Pushgateway;
 * the gateways must end up holding the same groups (/api/v1/metrics, push times aside).
 */
class ClientJavaCompatibilityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String THEIRS = "io.prometheus.metrics.exporter.pushgateway.";
  private static final String OURS = "io.promsuite.pushgateway.";

  @TempDir static Path dir;
  static Program clientJava;
  static Program ours;
  static RealPushgateway clientJavaGateway;
  static RealPushgateway ourGateway;

  /** The program compiled against one library, and a gateway for it. */
  record Program(String name, Path classes) {

    String run(RealPushgateway gateway, String scenario, String... more) throws Exception {
      List<String> args = new ArrayList<>(List.of(scenario, "127.0.0.1:" + gateway.port()));
      args.addAll(List.of(more));
      try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
          ClientJavaCompatibilityTest.class.getClassLoader())) {
        Method run = loader.loadClass("CompatProgram").getMethod("run", String[].class);
        return (String) run.invoke(null, (Object) args.toArray(String[]::new));
      }
    }
  }

  @BeforeAll
  static void compileAndStart() throws Exception {
    String source = read("/compat/CompatProgram.java");
    clientJava = compile("client_java", source);
    ours = compile("ours", source.replace(THEIRS, OURS));
    clientJavaGateway = RealPushgateway.start(dir.resolve("gw-client-java"));
    ourGateway = RealPushgateway.start(dir.resolve("gw-ours"));
  }

  @AfterAll
  static void stop() throws Exception {
    for (RealPushgateway g : new RealPushgateway[] {clientJavaGateway, ourGateway}) {
      if (g != null) {
        g.close();
      }
    }
  }

  @Test
  void onlyTheImportsDiffer() throws Exception {
    String theirs = read("/compat/CompatProgram.java");
    List<String> imports = theirs.lines().filter(l -> l.startsWith("import " + THEIRS)).toList();
    assertEquals(3, imports.size(), "the program uses client_java's PushGateway, Scheme and Format");
    String changed = theirs.replace(THEIRS, OURS);
    List<String> differing = new ArrayList<>();
    Iterator<String> a = theirs.lines().iterator();
    Iterator<String> b = changed.lines().iterator();
    while (a.hasNext()) {
      String x = a.next();
      if (!x.equals(b.next())) {
        differing.add(x);
      }
    }
    assertEquals(imports, differing);
  }

  @Test
  void pushPushAddCollectorsDeleteTextAndEscapingLeaveTheSameGroups() throws Exception {
    assertEquals("ok", clientJava.run(clientJavaGateway, "semantics"));
    assertEquals("ok", ours.run(ourGateway, "semantics"));
    Map<String, JsonNode> expected = groups(clientJavaGateway, "compat");
    // PUT replaced, POST merged, collectors added, the deleted group gone, the text body, escaping
    assertEquals(List.of("job=compat,step=collector", "job=compat,step=dotted", "job=compat,step=post",
        "job=compat,step=put", "job=compat,step=text"), List.copyOf(expected.keySet()));
    assertEquals(List.of("compat_other", "compat_value"), metricNames(expected.get("job=compat,step=put")));
    assertEquals(List.of("compat_events_total", "compat_latency_seconds", "compat_other", "compat_size_bytes",
        "compat_value"), metricNames(expected.get("job=compat,step=post")));
    assertEquals(List.of("compat_added_total", "compat_multi_a", "compat_multi_b", "compat_single"),
        metricNames(expected.get("job=compat,step=collector")));
    assertEquals(List.of("compat_dotted_value"), metricNames(expected.get("job=compat,step=dotted")));
    assertEquals(expected, groups(ourGateway, "compat"));
  }

  @Test
  void groupingKeysWithSlashesEmptyValuesNonAsciiAndTheInstanceIpArriveTheSame() throws Exception {
    assertEquals("ok", clientJava.run(clientJavaGateway, "grouping"));
    assertEquals("ok", ours.run(ourGateway, "grouping"));
    Map<String, JsonNode> expected = groups(clientJavaGateway, "batch/nightly");
    assertEquals(List.of("city=Zürich,empty=,job=batch/nightly,path=/var/lib/compat"), List.copyOf(expected.keySet()));
    assertEquals(expected, groups(ourGateway, "batch/nightly"));
    String ip = InetAddress.getLocalHost().getHostAddress();
    String key = "instance=" + ip + ",job=compat,step=ip";
    assertNotNull(groups(clientJavaGateway, "compat").get(key), key);
    assertEquals(groups(clientJavaGateway, "compat").get(key), groups(ourGateway, "compat").get(key));
  }

  /** client_java form-encodes grouping values (URLEncoder), so a space arrives as '+'; ours arrives as sent. */
  @Test
  void aSpaceInAGroupingValueArrivesAsItWasWhereClientJavaTurnsItIntoAPlus() throws Exception {
    assertEquals("ok", clientJava.run(clientJavaGateway, "space"));
    assertEquals("ok", ours.run(ourGateway, "space"));
    assertNotNull(groups(clientJavaGateway, "compat").get("job=compat,note=a+b"));
    assertNotNull(groups(ourGateway, "compat").get("job=compat,note=a b"));
    assertNull(groups(ourGateway, "compat").get("job=compat,note=a+b"));
  }

  @Test
  void aTypeClashIsAnIOExceptionForBothAndChangesNothing() throws Exception {
    assertEquals("ok", clientJava.run(clientJavaGateway, "semantics"));
    assertEquals("ok", ours.run(ourGateway, "semantics"));
    assertEquals("IOException", clientJava.run(clientJavaGateway, "type-clash"));
    assertEquals("IOException", ours.run(ourGateway, "type-clash"));
    // the gateway keeps an empty group that records the failure
    JsonNode clash = groups(clientJavaGateway, "compat_clash").get("job=compat_clash");
    assertEquals(List.of(), metricNames(clash));
    assertEquals("false", clash.path("last_push_successful").asText());
    assertEquals(groups(clientJavaGateway, "compat_clash"), groups(ourGateway, "compat_clash"));
    assertEquals(groups(clientJavaGateway, "compat"), groups(ourGateway, "compat"));
  }

  @Test
  void basicAuthAgainstAGatewayWithAWebConfigFile() throws Exception {
    String hash = BCrypt.withDefaults().hashToString(4, "s3cret pass".toCharArray());
    Path web = dir.resolve("web.yml");
    Files.writeString(web, "basic_auth_users:\n  pusher: '" + hash + "'\n");
    try (RealPushgateway theirsAuth = RealPushgateway.start(dir.resolve("auth-client-java"), "--web.config.file=" + web);
        RealPushgateway oursAuth = RealPushgateway.start(dir.resolve("auth-ours"), "--web.config.file=" + web)) {
      assertEquals("IOException", clientJava.run(theirsAuth, "basic-auth", "pusher", "wrong"));
      assertEquals("IOException", ours.run(oursAuth, "basic-auth", "pusher", "wrong"));
      assertEquals(Map.of(), groups(theirsAuth, "pusher", "s3cret pass", "compat"));
      assertEquals(Map.of(), groups(oursAuth, "pusher", "s3cret pass", "compat"));
      assertEquals("ok", clientJava.run(theirsAuth, "basic-auth", "pusher", "s3cret pass"));
      assertEquals("ok", ours.run(oursAuth, "basic-auth", "pusher", "s3cret pass"));
      Map<String, JsonNode> expected = groups(theirsAuth, "pusher", "s3cret pass", "compat");
      assertEquals(List.of("auth=basic,job=compat"), List.copyOf(expected.keySet()));
      assertEquals(expected, groups(oursAuth, "pusher", "s3cret pass", "compat"));
    }
  }

  /**
   * Run as {@code java -D... -jar nightly-report.jar}: the address property overrides the builder's,
   * the job defaults to the JAR's name, the job and escaping-scheme properties are honoured.
   */
  @Test
  void propertiesOverrideTheBuilderAndTheJobDefaultsToTheJarName() throws Exception {
    String prop = "-Dio.prometheus.exporter.pushgateway.";
    assertEquals("ok", runJar(clientJava, prop + "address=127.0.0.1:" + clientJavaGateway.port()));
    assertEquals("ok", runJar(ours, prop + "address=127.0.0.1:" + ourGateway.port()));
    Map<String, JsonNode> expected = groups(clientJavaGateway, "nightly-report");
    assertEquals(List.of("job=nightly-report,step=defaults"), List.copyOf(expected.keySet()));
    assertEquals(expected, groups(ourGateway, "nightly-report"));

    assertEquals("ok", runJar(clientJava, prop + "address=127.0.0.1:" + clientJavaGateway.port(),
        prop + "job=from_property", prop + "escaping_scheme=dots"));
    assertEquals("ok", runJar(ours, prop + "address=127.0.0.1:" + ourGateway.port(),
        prop + "job=from_property", prop + "escaping_scheme=dots"));
    expected = groups(clientJavaGateway, "from_property");
    assertEquals(List.of("compat_dot_dotted_dot_value"), metricNames(expected.get("job=from_property,step=defaults")));
    assertEquals(expected, groups(ourGateway, "from_property"));
  }

  /**
   * client_java 1.5.0 reads the scheme property with {@code Scheme.valueOf}, so the only values the
   * property loader accepts, {@code http} and {@code https}, make its build() throw; ours honours them.
   */
  @Test
  void theSchemePropertyWorksWhereClientJavaFailsOnIt() throws Exception {
    String prop = "-Dio.prometheus.exporter.pushgateway.";
    String theirs = runJar(clientJava, prop + "address=127.0.0.1:" + clientJavaGateway.port(),
        prop + "job=scheme_property", prop + "scheme=http");
    assertTrue(theirs.contains("No enum constant") && theirs.contains("Scheme.http"), theirs);
    assertEquals("ok", runJar(ours, prop + "address=127.0.0.1:" + ourGateway.port(),
        prop + "job=scheme_property", prop + "scheme=http"));
    assertEquals(List.of("job=scheme_property,step=defaults"), List.copyOf(groups(ourGateway, "scheme_property").keySet()));
  }

  private static String runJar(Program p, String... properties) throws Exception {
    Path jar = dir.resolve("jar-" + p.name()).resolve("nightly-report.jar");
    if (!Files.exists(jar)) {
      Files.createDirectories(jar.getParent());
      Manifest m = new Manifest();
      m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "CompatProgram");
      String classPath = Stream.concat(Stream.of(p.classes().toString()),
              Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)))
          .map(e -> Path.of(e).toUri().toString()).collect(Collectors.joining(" "));
      m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
      try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
        // the classes stay in their directory, named by the manifest's Class-Path
      }
    }
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1"));
    cmd.addAll(List.of(properties));
    cmd.addAll(List.of("-jar", jar.toString(), "defaults", "unused:1"));
    Path out = Files.createTempFile(dir, "run", ".txt");
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertTrue(proc.waitFor(120, TimeUnit.SECONDS), "program did not finish");
    String output = Files.readString(out).strip();
    return proc.exitValue() == 0 ? output : "exit " + proc.exitValue() + ": " + output;
  }

  private static Program compile(String name, String source) throws IOException {
    Path src = dir.resolve("src-" + name).resolve("CompatProgram.java");
    Path classes = dir.resolve("classes-" + name);
    Files.createDirectories(src.getParent());
    Files.createDirectories(classes);
    Files.writeString(src, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int rc = javac.run(null, null, err, "-encoding", "UTF-8", "-proc:none", "-cp", System.getProperty("java.class.path"),
        "-d", classes.toString(), src.toString());
    assertEquals(0, rc, name + ": " + err.toString(StandardCharsets.UTF_8));
    return new Program(name, classes);
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = ClientJavaCompatibilityTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Map<String, JsonNode> groups(RealPushgateway gateway, String job) throws Exception {
    return normalise(JSON.readTree(gateway.get("/api/v1/metrics").body()), job);
  }

  private static Map<String, JsonNode> groups(RealPushgateway gateway, String user, String password, String job)
      throws Exception {
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(gateway.url() + "/api/v1/metrics"))
        .header("Authorization", "Basic " + java.util.Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))).build();
    try (java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient()) {
      return normalise(JSON.readTree(c.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body()), job);
    }
  }

  /**
   * The groups of one job by their sorted labels, without what differs from run to run: the
   * time stamps of each push and the values of push_time_seconds.
   */
  private static Map<String, JsonNode> normalise(JsonNode root, String job) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (JsonNode g : root.path("data")) {
      if (!job.equals(g.path("labels").path("job").asText())) {
        continue;
      }
      ObjectNode group = g.deepCopy();
      for (JsonNode family : group) {
        if (family instanceof ObjectNode f) {
          f.remove("time_stamp");
        }
      }
      for (String pushTime : List.of("push_time_seconds", "push_failure_time_seconds")) {
        for (JsonNode m : group.path(pushTime).path("metrics")) {
          ((ObjectNode) m).put("value", "<time>");
        }
      }
      Map<String, String> labels = new TreeMap<>();
      g.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      out.put(labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")),
          group);
    }
    return out;
  }

  private static List<String> metricNames(JsonNode group) {
    List<String> names = new ArrayList<>();
    group.properties().forEach(e -> {
      if (e.getValue().has("metrics") && !e.getKey().startsWith("push_")) {
        names.add(e.getKey());
      }
    });
    return names.stream().sorted().toList();
  }
}
