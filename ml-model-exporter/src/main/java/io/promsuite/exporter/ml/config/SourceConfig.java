package io.promsuite.exporter.ml.config;

import io.promsuite.exporter.common.config.http.BasicAuth;
import io.promsuite.exporter.common.config.http.HttpClientConfig;
import io.promsuite.exporter.common.config.http.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code sources:}. Which fields apply depends on {@code type}; a field that belongs to
 * another type is an error, so a typo never silently falls back to a default.
 */
public record SourceConfig(
    String name,
    String type,
    // local
    String path,
    // s3
    String bucket,
    String prefix,
    String region,
    String endpoint,
    Boolean pathStyle,
    String profile,
    Integer maxAttempts,
    // mlflow: of Prometheus' HTTP client config, the credentials (exporter-common's types)
    String url,
    Secret bearerToken,
    String bearerTokenFile,
    BasicAuth basicAuth,
    String servingAlias,
    String defaultDataset,
    // s3 and mlflow
    Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public SourceConfig {
    if (type == null) {
      throw new IllegalArgumentException("missing \"type\"; one of local, s3, mlflow");
    }
    List<String> foreign = new ArrayList<>();
    switch (type) {
      case "local" -> {
        require(path, "path", "the directory holding <model>/<version>/");
        forbid(foreign, bucket, "bucket", prefix, "prefix", region, "region", endpoint, "endpoint", pathStyle, "path_style",
            profile, "profile", maxAttempts, "max_attempts", url, "url", bearerToken, "bearer_token", bearerTokenFile,
            "bearer_token_file", basicAuth, "basic_auth", servingAlias, "serving_alias", defaultDataset, "default_dataset",
            timeout, "timeout");
        name = name == null ? path : name;
      }
      case "s3" -> {
        require(bucket, "bucket", "the bucket name");
        forbid(foreign, path, "path", url, "url", bearerToken, "bearer_token", bearerTokenFile, "bearer_token_file",
            basicAuth, "basic_auth", servingAlias, "serving_alias", defaultDataset, "default_dataset");
        prefix = prefix == null ? "" : prefix;
        region = region == null ? "us-east-1" : region;
        pathStyle = pathStyle != null && pathStyle;
        if (endpoint != null) {
          checkUrl(endpoint, "endpoint");
        }
        if (maxAttempts != null && (maxAttempts < 1 || maxAttempts > 10)) {
          throw new IllegalArgumentException("max_attempts must be between 1 and 10, got " + maxAttempts);
        }
        maxAttempts = maxAttempts == null ? 3 : maxAttempts;
        name = name == null ? "s3://" + bucket + "/" + prefix : name;
      }
      case "mlflow" -> {
        require(url, "url", "the tracking server, e.g. http://mlflow:5000");
        checkUrl(url, "url");
        forbid(foreign, path, "path", bucket, "bucket", prefix, "prefix", region, "region", endpoint, "endpoint",
            pathStyle, "path_style", profile, "profile", maxAttempts, "max_attempts");
        if (bearerToken != null && bearerTokenFile != null) {
          throw new IllegalArgumentException("give bearer_token or bearer_token_file, not both");
        }
        if ((bearerToken != null || bearerTokenFile != null) && basicAuth != null) {
          throw new IllegalArgumentException("give a bearer token or basic_auth, not both");
        }
        if (basicAuth != null && basicAuth.username().isEmpty()) {
          throw new IllegalArgumentException("basic_auth needs a username");
        }
        defaultDataset = defaultDataset == null ? "validation" : defaultDataset;
        name = name == null ? url : name;
      }
      default -> throw new IllegalArgumentException("unknown type \"" + type + "\"; one of local, s3, mlflow");
    }
    if (!foreign.isEmpty()) {
      throw new IllegalArgumentException(String.join(", ", foreign) + " not allowed for type " + type);
    }
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    timeout = timeout == null && !type.equals("local") ? DEFAULT_TIMEOUT : timeout;
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be empty");
    }
  }

  /** The HTTP client settings of an mlflow source (its credentials), read by the shared HTTP client config. */
  public HttpClientConfig httpClient() {
    return new HttpClientConfig(basicAuth, bearerToken, bearerTokenFile, null, null, null, null, null, null);
  }

  private static void require(String value, String field, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing \"" + field + "\" (" + what + ")");
    }
  }

  private static void forbid(List<String> out, Object... valueNamePairs) {
    for (int i = 0; i < valueNamePairs.length; i += 2) {
      if (valueNamePairs[i] != null) {
        out.add("\"" + valueNamePairs[i + 1] + "\"");
      }
    }
  }

  private static void checkUrl(String value, String field) {
    try {
      URI u = new URI(value);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        throw new IllegalArgumentException(field + " must be an http:// or https:// URL, got '" + value + "'");
      }
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(field + " is not a URL: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    // Never print secrets: configs end up in logs.
    return "SourceConfig[name=" + name + ", type=" + type + "]";
  }
}
