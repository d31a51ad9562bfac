package io.promsuite.exporter.ml.config;

import io.promsuite.exporter.common.config.http.HttpClientConfig;
import io.promsuite.exporter.ml.source.LocalStore;
import io.promsuite.exporter.ml.source.MlflowRegistry;
import io.promsuite.exporter.ml.source.ModelSource;
import io.promsuite.exporter.ml.source.S3Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Builds the {@link ModelSource} a {@link SourceConfig} describes. */
public final class SourceFactory {
  private final List<ExecutionInterceptor> s3Interceptors;

  /** @param s3Interceptors added to every S3 client (request counting in tests and benchmarks) */
  public SourceFactory(List<ExecutionInterceptor> s3Interceptors) {
    this.s3Interceptors = List.copyOf(s3Interceptors);
  }

  public List<ModelSource> create(ExporterConfig config) {
    List<ModelSource> out = new ArrayList<>();
    for (SourceConfig c : config.sources()) {
      out.add(create(c));
    }
    return out;
  }

  public ModelSource create(SourceConfig c) {
    return switch (c.type()) {
      case "local" -> new LocalStore(c.name(), Path.of(c.path()));
      case "s3" -> new S3Store(c.name(), s3Client(c), c.bucket(), c.prefix());
      case "mlflow" -> new MlflowRegistry(c.name(), c.url(), c.timeout(), authorization(c), c.servingAlias(),
          c.defaultDataset());
      default -> throw new IllegalArgumentException("unknown source type " + c.type());
    };
  }

  /** An S3 client with the settings production uses: retries, timeouts, path style and endpoint as configured. */
  public S3Client s3Client(SourceConfig c) {
    AwsCredentialsProvider credentials = c.profile() != null
        ? ProfileCredentialsProvider.builder().profileName(c.profile()).build()
        : DefaultCredentialsProvider.builder().build();
    RetryStrategy retry = AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(c.maxAttempts()).build();
    S3ClientBuilder b = S3Client.builder()
        .region(Region.of(c.region()))
        .credentialsProvider(credentials)
        .forcePathStyle(c.pathStyle())
        .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(c.timeout()).socketTimeout(c.timeout()))
        .overrideConfiguration(o -> {
          o.retryStrategy(retry).apiCallAttemptTimeout(c.timeout());
          s3Interceptors.forEach(o::addExecutionInterceptor);
        });
    if (c.endpoint() != null) {
      b.endpointOverride(URI.create(c.endpoint()));
    }
    return b.build();
  }

  /** The Authorization header per request (credential files re-read each time), or null for none. */
  private static Supplier<String> authorization(SourceConfig c) {
    if (c.basicAuth() == null && c.bearerToken() == null && c.bearerTokenFile() == null) {
      return null;
    }
    HttpClientConfig http = c.httpClient();
    return () -> {
      try {
        return http.authorizationHeader();
      } catch (IOException e) {
        // Names the file, never its content.
        throw new UncheckedIOException(e);
      }
    };
  }
}
