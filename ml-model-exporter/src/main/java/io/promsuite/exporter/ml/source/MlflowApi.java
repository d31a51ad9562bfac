package io.promsuite.exporter.ml.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The calls {@link MlflowRegistry} makes to an MLflow tracking server's REST API 2.0, with page
 * tokens followed to the end. Errors name the endpoint and MLflow's {@code error_code}/{@code message};
 * the Authorization header never appears in them.
 */
final class MlflowApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String base;
  private final Duration timeout;
  private final Supplier<String> authorization;

  /**
   * @param authorization the Authorization header value per request (files are re-read so rotated
   *     tokens apply), or null for none
   */
  MlflowApi(String url, Duration timeout, Supplier<String> authorization) {
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.timeout = timeout;
    this.authorization = authorization;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** Every registered model ({@code registered-models/search}, all pages). */
  List<JsonNode> registeredModels() throws IOException, InterruptedException {
    return pages("registered-models/search", new LinkedHashMap<>(Map.of("max_results", "100")), "registered_models");
  }

  /** Every version of {@code model} ({@code model-versions/search}, all pages). */
  List<JsonNode> modelVersions(String model) throws IOException, InterruptedException {
    String quoted = model.contains("'") ? "\"" + model.replace("\"", "\\\"") + "\"" : "'" + model + "'";
    Map<String, String> params = new LinkedHashMap<>();
    params.put("filter", "name=" + quoted);
    params.put("max_results", "200");
    return pages("model-versions/search", params, "model_versions");
  }

  /** The run behind a model version ({@code runs/get}): its {@code info}, {@code data} and {@code inputs}. */
  JsonNode run(String runId) throws IOException, InterruptedException {
    return get("runs/get", Map.of("run_id", runId)).path("run");
  }

  /**
   * Sum of the file sizes under {@code path} of a run's artifacts ({@code artifacts/list}, directories
   * followed, all pages).
   */
  long artifactBytes(String runId, String path) throws IOException, InterruptedException {
    long total = 0;
    List<String> dirs = new ArrayList<>(List.of(path));
    int listed = 0;
    while (!dirs.isEmpty()) {
      String dir = dirs.removeLast();
      Map<String, String> params = new LinkedHashMap<>();
      params.put("run_id", runId);
      params.put("path", dir);
      for (JsonNode f : pages("artifacts/list", params, "files")) {
        if (f.path("is_dir").asBoolean(false)) {
          dirs.add(f.path("path").asText());
        } else {
          total += f.path("file_size").asLong(0);
        }
      }
      if (++listed > 10_000) {
        throw new IOException("artifacts/list: more than 10000 directories under " + path + "; stopping");
      }
    }
    return total;
  }

  private List<JsonNode> pages(String endpoint, Map<String, String> params, String field)
      throws IOException, InterruptedException {
    List<JsonNode> out = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      if (token != null) {
        params.put("page_token", token);
      }
      JsonNode body = get(endpoint, params);
      for (JsonNode n : body.path(field)) {
        out.add(n);
      }
      String next = body.path("next_page_token").asText("");
      if (next.equals(token)) {
        throw new IOException(endpoint + " returned the same next_page_token twice; stopping to avoid a loop");
      }
      token = next.isEmpty() ? null : next;
      if (++pages > 100_000) {
        throw new IOException(endpoint + ": more than 100000 pages; stopping");
      }
    } while (token != null);
    return out;
  }

  private JsonNode get(String endpoint, Map<String, String> params) throws IOException, InterruptedException {
    StringBuilder uri = new StringBuilder(base).append("/api/2.0/mlflow/").append(endpoint);
    char sep = '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      uri.append(sep).append(p.getKey()).append('=').append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(timeout)
        .header("Accept", "application/json").GET();
    String auth = authorization == null ? null : authorization.get();
    if (auth != null) {
      req.header("Authorization", auth);
    }
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      // java.net.http leaves the message empty for refused connections and timeouts: name them.
      String why = e.getMessage() == null || e.getMessage().isEmpty() ? e.getClass().getSimpleName() : e.getMessage();
      throw new IOException(endpoint + " at " + base + ": " + why, e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(resp.body());
    } catch (IOException e) {
      if (resp.statusCode() / 100 != 2) {
        throw new IOException(endpoint + ": HTTP " + resp.statusCode());
      }
      throw new IOException(endpoint + ": response is not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    if (resp.statusCode() / 100 != 2) {
      body = body == null ? JSON.createObjectNode() : body;
      throw new IOException(endpoint + ": HTTP " + resp.statusCode() + " " + body.path("error_code").asText("")
          + ": " + body.path("message").asText(""));
    }
    return body == null || body.isMissingNode() ? JSON.createObjectNode() : body;
  }
}
