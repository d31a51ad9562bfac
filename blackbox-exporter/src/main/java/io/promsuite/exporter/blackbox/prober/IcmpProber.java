package io.promsuite.exporter.blackbox.prober;

import io.promsuite.exporter.blackbox.config.IcmpProbe;
import io.promsuite.exporter.blackbox.config.Module;
import java.io.IOException;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** The {@code icmp} prober: one echo request and its reply, timed as resolve, setup and rtt. */
public final class IcmpProber implements Prober {
  private static final byte[] PAYLOAD = "Prometheus Blackbox Exporter".getBytes(StandardCharsets.US_ASCII);
  private static final AtomicInteger SEQUENCE = new AtomicInteger(ThreadLocalRandom.current().nextInt(0x10000));
  private final int id = ThreadLocalRandom.current().nextInt(0x10000);
  private final Resolver resolver;

  public IcmpProber(Resolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public boolean probe(Deadline deadline, String target, Module module, ProbeSink sink, ProbeLog log)
      throws InterruptedException {
    IcmpProbe cfg = module.icmp();
    ProbeSink.Gauge phases = sink.gauge("probe_icmp_duration_seconds", "Duration of icmp request by phase", "phase");
    for (String p : List.of("resolve", "setup", "rtt")) {
      phases.add(0, p);
    }
    String host = target.startsWith("[") ? target.substring(1, target.length() - 1) : target;
    Resolver.Choice choice = resolver.choose(host, cfg.preferredIpProtocol(), cfg.ipProtocolFallback(), sink, log);
    if (choice == null) {
      log.warn("Error resolving address", "err", "no usable address for " + host);
      return false;
    }
    phases.add(choice.lookupSeconds(), "resolve");
    boolean v6 = choice.address() instanceof Inet6Address;
    long setupStart = System.nanoTime();
    log.info("Creating socket");
    IcmpSocket socket;
    try {
      socket = IcmpSocket.open(v6, log);
    } catch (IOException e) {
      log.error("Error listening to socket", "err", e.getMessage());
      return false;
    }
    try (socket) {
      boolean hopLimitKnown = socket.receiveHopLimit();
      if (cfg.ttl() > 0) {
        log.debug("Setting TTL", "ttl", cfg.ttl());
        socket.setTtl(cfg.ttl());
      }
      if (cfg.dontFragment()) {
        socket.setDontFragment();
      }
      byte[] data = PAYLOAD;
      if (cfg.payloadSize() != 0) {
        data = Arrays.copyOf(PAYLOAD, cfg.payloadSize());
      }
      int seq = SEQUENCE.incrementAndGet() & 0xffff;
      byte[] packet = new byte[8 + data.length];
      packet[0] = (byte) (v6 ? 128 : 8);
      packet[4] = (byte) (id >> 8);
      packet[5] = (byte) id;
      packet[6] = (byte) (seq >> 8);
      packet[7] = (byte) seq;
      System.arraycopy(data, 0, packet, 8, data.length);
      if (!v6) {
        int sum = checksum(packet);
        packet[2] = (byte) (sum >> 8);
        packet[3] = (byte) sum;
      }
      log.info("Creating ICMP packet", "seq", seq, "id", id);
      phases.add((System.nanoTime() - setupStart) / 1e9, "setup");
      log.info("Writing out packet");
      long rttStart = System.nanoTime();
      socket.send(packet, choice.address());
      log.info("Waiting for reply packets");
      while (true) {
        IcmpSocket.Packet p = socket.receive(deadline);
        if (p == null) {
          log.warn("Timeout reading from socket", "err", "i/o timeout");
          return false;
        }
        if (!p.source().equals(choice.address())) {
          continue;
        }
        byte[] icmp = p.data();
        if (socket.raw && !v6) {
          int ihl = (icmp[0] & 0x0f) * 4;
          icmp = Arrays.copyOfRange(icmp, ihl, icmp.length);
        }
        if (matches(icmp, v6, socket.raw, seq, data)) {
          phases.add((System.nanoTime() - rttStart) / 1e9, "rtt");
          if (p.hopLimit() >= 0 && (hopLimitKnown || (socket.raw && !v6))) {
            sink.gauge("probe_icmp_reply_hop_limit", "Replied packet hop limit (TTL for ipv4)").set(p.hopLimit());
          }
          log.info("Found matching reply packet");
          return true;
        }
      }
    } catch (IOException e) {
      log.warn("Error writing to socket", "err", e.getMessage());
      return false;
    }
  }

  /** An echo reply to our request: right type, our id (a datagram socket's kernel picks it), our sequence and data. */
  private boolean matches(byte[] icmp, boolean v6, boolean raw, int seq, byte[] data) {
    if (icmp.length != 8 + data.length || (icmp[0] & 0xff) != (v6 ? 129 : 0) || icmp[1] != 0) {
      return false;
    }
    if (raw && (((icmp[4] & 0xff) << 8) | (icmp[5] & 0xff)) != id) {
      return false;
    }
    if ((((icmp[6] & 0xff) << 8) | (icmp[7] & 0xff)) != seq) {
      return false;
    }
    return Arrays.equals(icmp, 8, icmp.length, data, 0, data.length);
  }

  static int checksum(byte[] b) {
    long sum = 0;
    for (int i = 0; i + 1 < b.length; i += 2) {
      sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    if (b.length % 2 == 1) {
      sum += (b[b.length - 1] & 0xff) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
