package io.promsuite.exporter.common.config.http;

/** {@code basic_auth}: HTTP basic auth credentials; the password inline or read from a file. */
public record BasicAuth(String username, Secret password, String passwordFile) {
  public BasicAuth {
    username = username == null ? "" : username;
    password = password == null ? Secret.NONE : password;
    passwordFile = passwordFile == null ? "" : passwordFile;
    if (!password.isEmpty() && !passwordFile.isEmpty()) {
      throw new IllegalArgumentException("at most one of basic_auth password and password_file must be configured");
    }
  }
}
