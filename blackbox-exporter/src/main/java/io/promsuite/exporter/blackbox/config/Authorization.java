package io.promsuite.exporter.blackbox.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Prometheus' common {@code authorization}: an Authorization header of {@code type credentials}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Authorization(String type, Secret credentials, String credentialsFile) {
  public Authorization {
    type = type == null || type.isEmpty() ? "Bearer" : type;
    credentials = credentials == null ? new Secret("") : credentials;
    credentialsFile = credentialsFile == null ? "" : credentialsFile;
    if (type.equalsIgnoreCase("basic")) {
      throw new IllegalArgumentException("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    if (!credentials.isEmpty() && !credentialsFile.isEmpty()) {
      throw new IllegalArgumentException("at most one of authorization credentials and credentials_file must be configured");
    }
  }
}
