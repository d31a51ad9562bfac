package io.promsuite.exporter.container.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * WireMock answering like the Docker Engine API, for states the real engine cannot be driven into
 * on this machine: hundreds of containers, a daemon that answers 500 or hangs, malformed JSON.
 */
public final class FakeDaemon implements AutoCloseable {
  /** One container as the fake lists and inspects it. */
  public record Container(String id, String name, long pid, Map<String, String> labels, long memoryLimit, long cpuQuota) {
    public Container(String id, String name, long pid, Map<String, String> labels, long memoryLimit) {
      this(id, name, pid, labels, memoryLimit, 0);
    }
  }

  private final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
      .containerThreads(40).disableRequestJournal());

  public FakeDaemon(String cgroupDriver) {
    server.start();
    server.stubFor(get(urlPathMatching("(/v[0-9.]+)?/info"))
        .willReturn(okJson("{\"CgroupDriver\":\"" + cgroupDriver + "\",\"ServerVersion\":\"20.10.24\"}")));
    server.stubFor(get(urlPathMatching("(/v[0-9.]+)?/events"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("")));
  }

  public String host() {
    return "tcp://127.0.0.1:" + server.port();
  }

  public WireMockServer server() {
    return server;
  }

  /** Lists and inspects {@code containers}; every stats call answers {@code statsBody}. */
  public FakeDaemon serve(List<Container> containers, String statsBody) {
    StringBuilder list = new StringBuilder("[");
    for (Container c : containers) {
      if (list.length() > 1) {
        list.append(',');
      }
      String labels = labels(c.labels());
      list.append("{\"Id\":\"").append(c.id()).append("\",\"Names\":[\"/").append(c.name())
          .append("\"],\"Image\":\"busybox:1\",\"State\":\"running\",\"Created\":1795590000,\"Labels\":")
          .append(labels).append('}');
      server.stubFor(get(urlPathMatching("(/v[0-9.]+)?/containers/" + c.id() + "/json")).willReturn(okJson(
          "{\"Id\":\"" + c.id() + "\",\"Name\":\"/" + c.name() + "\",\"Created\":\"2026-11-25T08:00:00.000000000Z\","
              + "\"State\":{\"Status\":\"running\",\"Running\":true,\"Pid\":" + c.pid()
              + ",\"StartedAt\":\"2026-11-25T08:00:01.500000000Z\"},"
              + "\"Config\":{\"Image\":\"busybox:1\",\"Labels\":" + labels + "},"
              + "\"HostConfig\":{\"Memory\":" + c.memoryLimit() + ",\"CpuQuota\":" + c.cpuQuota() + ",\"CpuPeriod\":0,\"CpuShares\":0,\"NanoCpus\":0}}")));
    }
    list.append(']');
    server.stubFor(get(urlPathMatching("(/v[0-9.]+)?/containers/json")).willReturn(okJson(list.toString())));
    server.stubFor(get(urlPathMatching("(/v[0-9.]+)?/containers/[^/]+/stats")).willReturn(okJson(statsBody)));
    return this;
  }

  /** Makes every request matching {@code pathRegex} answer {@code response} from now on. */
  public void override(String pathRegex, ResponseDefinitionBuilder response) {
    server.stubFor(get(urlPathMatching(pathRegex)).atPriority(1).willReturn(response));
  }

  public static List<Container> many(int n) {
    List<Container> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Container(String.format("%064x", i + 1), "c" + i, 0, Map.of("team", "t" + i % 7, "other", "x"), 0));
    }
    return out;
  }

  public static String resource(String path) {
    try (InputStream in = FakeDaemon.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("test resource " + path + " missing", e);
    }
  }

  private static String labels(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder("{");
    labels.forEach((k, v) -> {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(k).append("\":\"").append(v).append('"');
    });
    return sb.append('}').toString();
  }

  @Override
  public void close() {
    server.stop();
  }
}
