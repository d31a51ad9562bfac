package io.promsuite.e2e.stack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each host name of the reference configs ({@code inference-gateway:8000},
 * {@code blackbox-exporter:9115}, ...) runs in a local stack: a loopback address, or nowhere
 * (the target is dropped). A name the reference uses but the book lacks is an error, so a new job
 * in packaging/ cannot be silently left out of the stack.
 */
public final class AddressBook {
  private static final Pattern HOST_PORT = Pattern.compile("^(?:(https?)://)?([A-Za-z0-9.\\-]+)(?::(\\d+))?(/.*)?$");
  private final Map<String, String> hostPorts = new LinkedHashMap<>();
  private final Map<String, String> hosts = new LinkedHashMap<>();

  /** {@code hostPort} ("blackbox-exporter:9115") runs at {@code address} ("127.0.0.1:40123"); null drops it. */
  public AddressBook put(String hostPort, String address) {
    hostPorts.put(hostPort, address);
    return this;
  }

  /** A bare host name ({@code inference-gateway}, the ICMP target) is {@code address}. */
  public AddressBook host(String host, String address) {
    hosts.put(host, address);
    return this;
  }

  /**
   * The local form of a target: {@code host:port}, {@code host} or a URL; empty when the book
   * drops it. Throws naming the target when the book does not know it.
   */
  public Optional<String> resolve(String target) {
    Matcher m = HOST_PORT.matcher(target);
    if (!m.matches()) {
      throw new IllegalArgumentException("target '" + target + "' is neither host[:port] nor a URL");
    }
    String scheme = m.group(1);
    String host = m.group(2);
    String port = m.group(3);
    String path = m.group(4) == null ? "" : m.group(4);
    String local;
    if (port != null) {
      String key = host + ":" + port;
      if (!hostPorts.containsKey(key)) {
        throw new IllegalArgumentException("no local address for " + key + " (known: " + hostPorts.keySet() + ")");
      }
      local = hostPorts.get(key);
    } else {
      if (!hosts.containsKey(host)) {
        throw new IllegalArgumentException("no local address for host " + host + " (known: " + hosts.keySet() + ")");
      }
      local = hosts.get(host);
    }
    if (local == null) {
      return Optional.empty();
    }
    return Optional.of((scheme == null ? "" : scheme + "://") + local + path);
  }
}
