package io.promsuite.exporter.common.config.http;

/** {@code authorization}: an Authorization header of {@code type credentials} (type Bearer unless set). */
public record Authorization(String type, Secret credentials, String credentialsFile) {
  public Authorization {
    type = type == null || type.isEmpty() ? "Bearer" : type;
    credentials = credentials == null ? Secret.NONE : credentials;
    credentialsFile = credentialsFile == null ? "" : credentialsFile;
    if (type.equalsIgnoreCase("basic")) {
      throw new IllegalArgumentException("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    if (!credentials.isEmpty() && !credentialsFile.isEmpty()) {
      throw new IllegalArgumentException("at most one of authorization credentials and credentials_file must be configured");
    }
  }
}
