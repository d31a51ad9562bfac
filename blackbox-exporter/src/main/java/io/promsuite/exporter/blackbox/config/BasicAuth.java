package io.promsuite.exporter.blackbox.config;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** HTTP basic auth credentials for the HTTP prober; the password may come from a file. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BasicAuth(String username, Secret password, String passwordFile) {
  public BasicAuth {
    username = username == null ? "" : username;
    password = password == null ? new Secret("") : password;
    passwordFile = passwordFile == null ? "" : passwordFile;
    if (!password.isEmpty() && !passwordFile.isEmpty()) {
      throw new IllegalArgumentException("at most one of basic_auth password and password_file must be configured");
    }
  }
}
