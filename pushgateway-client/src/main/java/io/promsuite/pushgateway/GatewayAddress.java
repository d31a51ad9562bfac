package io.promsuite.pushgateway;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where the gateway is: a scheme and an address, {@code host:port} as client_java takes it,
 * optionally followed by a path prefix for a gateway behind a reverse proxy.
 */
record GatewayAddress(Scheme scheme, String address) {

  static final String DEFAULT_ADDRESS = "localhost:9091";

  /** Splits {@code http://host:port[/prefix]}; anything without {@code ://} is an address alone. */
  static GatewayAddress parse(String gateway, Scheme dflt) {
    int sep = gateway.indexOf("://");
    if (sep < 0) {
      return new GatewayAddress(dflt, gateway);
    }
    Scheme scheme;
    try {
      scheme = Scheme.fromString(gateway.substring(0, sep));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("gateway URL '" + gateway + "' must be http://host:port or https://host:port");
    }
    return new GatewayAddress(scheme, gateway.substring(sep + 3));
  }

  /**
   * The base URL requests go below.
   *
   * @param source where the address came from, for the message
   * @throws IllegalArgumentException when it is not {@code host[:port][/prefix]}
   */
  URI base(String source) {
    if (address.contains("://")) {
      throw new IllegalArgumentException(source + " '" + address + "' is not an address: expecting <host>:<port>"
          + " without a scheme (set that with scheme(), or pass the URL to PushGateway.builder(url))");
    }
    String url = scheme + "://" + address;
    try {
      URI u = new URI(url);
      if (u.getHost() == null || u.getRawUserInfo() != null) {
        throw new IllegalArgumentException(source + " '" + address + "' is not an address: expecting <host>:<port> (e.g. "
            + DEFAULT_ADDRESS + ")");
      }
      if (u.getRawQuery() != null || u.getRawFragment() != null) {
        throw new IllegalArgumentException(source + " '" + address + "' must not have a query or fragment");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(source + " '" + address + "' is not an address: expecting <host>:<port> ("
          + e.getReason() + ")", e);
    }
  }
}
