package io.promsuite.exporter.blackbox.prober;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * blackbox_exporter's address choice: resolve, take the first address of the preferred protocol,
 * else (with fallback) one of the other; reports probe_ip_protocol, probe_ip_addr_hash and
 * probe_dns_lookup_time_seconds; resolution goes through the target rules ({@link TargetRules#resolve}), so
 * the address chosen is one that was checked.
 */
public final class Resolver {
  /** What was chosen, and how long the lookup took. */
  public record Choice(InetAddress address, double lookupSeconds) {}

  private final TargetRules rules;

  public Resolver(TargetRules rules) {
    this.rules = rules;
  }

  public TargetRules rules() {
    return rules;
  }

  /** {@link #choose}, then blackbox_exporter's "Error resolving address" at error level when it found nothing. */
  public Choice chooseOrLog(String host, String preferred, boolean fallback, ProbeSink sink, ProbeLog log) {
    Choice choice = choose(host, preferred, fallback, sink, log);
    if (choice == null) {
      log.error("Error resolving address", "err", "no usable address for " + host);
    }
    return choice;
  }

  /** The chosen address, or null when resolution failed or the target is denied (logged). */
  public Choice choose(String host, String preferred, boolean fallback, ProbeSink sink, ProbeLog log) {
    ProbeSink.Gauge lookup = sink.gauge("probe_dns_lookup_time_seconds",
        "Returns the time taken for probe dns lookup in seconds");
    ProbeSink.Gauge protocol = sink.gauge("probe_ip_protocol", "Specifies whether probe ip protocol is IP4 or IP6");
    ProbeSink.Gauge hash = sink.gauge("probe_ip_addr_hash",
        "Specifies the hash of IP address. It's useful to detect if the IP address changes.");
    lookup.add(0);
    protocol.add(0);
    hash.add(0);
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    log.info("Resolving target address", "target", bare, "ip_protocol", preferred);
    long start = System.nanoTime();
    try {
      List<InetAddress> all;
      try {
        // Checked, canonical addresses: the probe connects to one of these and to nothing else.
        all = rules.resolve(bare);
      } catch (TargetRules.Refused e) {
        log.error("Target refused by the exporter's rules", "err", e.getMessage());
        return null;
      } catch (UnknownHostException e) {
        log.error("Resolution with IP protocol failed", "target", bare, "err", "lookup " + bare + ": no such host");
        return null;
      }
      InetAddress chosen = null;
      InetAddress other = null;
      for (InetAddress a : all) {
        boolean v4 = a instanceof Inet4Address;
        if (v4 == preferred.equals("ip4")) {
          chosen = a;
          break;
        }
        if (other == null) {
          other = a;
        }
      }
      if (chosen == null) {
        if (!fallback || other == null) {
          log.error("Resolution with IP protocol failed", "target", bare, "ip_protocol", preferred,
              "err", "unable to find ip; no fallback");
          return null;
        }
        chosen = other;
      }
      log.info("Resolved target address", "target", bare, "ip", chosen.getHostAddress());
      protocol.set(chosen instanceof Inet4Address ? 4 : 6);
      hash.set(ipHash(chosen));
      return new Choice(chosen, (System.nanoTime() - start) / 1e9);
    } finally {
      lookup.set((System.nanoTime() - start) / 1e9);
    }
  }

  /** FNV-1a (32 bit) over the address bytes, as blackbox_exporter computes probe_ip_addr_hash. */
  public static double ipHash(InetAddress a) {
    int h = 0x811c9dc5;
    for (byte b : a.getAddress()) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return Integer.toUnsignedLong(h);
  }
}
