package io.promsuite.exporter.ml.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** HTTP basic auth for an MLflow server; the password inline or read from a file. */
public record BasicAuth(String username, String password, @JsonProperty("password_file") String passwordFile) {
  public BasicAuth {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("basic_auth needs a username");
    }
    if (password != null && passwordFile != null) {
      throw new IllegalArgumentException("give password or password_file, not both");
    }
  }

  @Override
  public String toString() {
    return "BasicAuth[username=" + username + ", password=<secret>]";
  }
}
