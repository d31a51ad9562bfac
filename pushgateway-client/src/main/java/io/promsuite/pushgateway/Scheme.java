package io.promsuite.pushgateway;

/**
 * How to reach the gateway given as {@code host:port}, as client_java's {@code Scheme}: {@code http}
 * unless told otherwise.
 */
public enum Scheme {
  HTTP("http"),
  HTTPS("https");

  private final String name;

  Scheme(String name) {
    this.name = name;
  }

  /** The URL scheme, {@code http} or {@code https}. */
  @Override
  public String toString() {
    return name;
  }

  /**
   * The scheme called {@code name} ({@code http} or {@code https}).
   *
   * @throws IllegalArgumentException for any other name
   */
  public static Scheme fromString(String name) {
    for (Scheme s : values()) {
      if (s.name.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(name + ": Unsupported scheme. Expecting 'http' or 'https'.");
  }
}
