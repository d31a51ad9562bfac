package io.promsuite.exporter.common.config.http;

/** A password or token from the config: usable by clients, shown as {@code <secret>} everywhere else. */
public record Secret(String value) {
  public static final Secret NONE = new Secret("");

  public Secret {
    value = value == null ? "" : value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return "<secret>";
  }
}
