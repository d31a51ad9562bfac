package io.promsuite.exporter.blackbox.prober;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An ICMP socket through libc via the foreign-function API (Linux x86_64/aarch64 layouts): a
 * datagram ICMP ("ping") socket when net.ipv4.ping_group_range allows it, else a raw socket,
 * which needs root or CAP_NET_RAW. One socket per probe; not thread-safe.
 */
final class IcmpSocket implements AutoCloseable {
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  private static final int SOCK_RAW = 3;
  private static final int SOCK_DGRAM = 2;
  private static final int IPPROTO_ICMP = 1;
  private static final int IPPROTO_ICMPV6 = 58;
  private static final int IPPROTO_IP = 0;
  private static final int IPPROTO_IPV6 = 41;
  private static final int IP_TTL = 2;
  private static final int IP_MTU_DISCOVER = 10;
  private static final int IP_RECVTTL = 12;
  private static final int IP_PMTUDISC_DO = 2;
  private static final int IPV6_UNICAST_HOPS = 16;
  private static final int IPV6_RECVHOPLIMIT = 51;
  private static final int IPV6_HOPLIMIT = 52;
  private static final int EAGAIN = 11;
  private static final int EINTR = 4;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");
  private static final MethodHandle SOCKET = fn("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle SETSOCKOPT = fn("setsockopt",
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle SENDTO = fn("sendto",
      FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle RECVMSG = fn("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle POLL = fn("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
  private static final MethodHandle CLOSE = LINKER.downcallHandle(LIBC.find("close").orElseThrow(),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
      FunctionDescriptor.of(ADDRESS, JAVA_INT));

  /** One received packet: its bytes (ICMP message; for raw IPv4 the IP header too), source and hop limit (-1 unknown). */
  record Packet(byte[] data, InetAddress source, int hopLimit) {}

  private final Arena arena = Arena.ofConfined();
  private final MemorySegment state = arena.allocate(STATE);
  private final int fd;
  final boolean raw;
  final boolean v6;

  private static MethodHandle fn(String name, FunctionDescriptor d) {
    return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), d, ERRNO_OPT);
  }

  private IcmpSocket(int fd, boolean raw, boolean v6) {
    this.fd = fd;
    this.raw = raw;
    this.v6 = v6;
  }

  /** Opens a datagram ICMP socket, falling back to a raw one; the error says what permission is missing. */
  static IcmpSocket open(boolean v6, ProbeLog log) throws IOException {
    int family = v6 ? AF_INET6 : AF_INET;
    int proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(STATE);
      int fd = (int) SOCKET.invokeExact(st, family, SOCK_DGRAM, proto);
      if (fd >= 0) {
        return new IcmpSocket(fd, false, v6);
      }
      int dgramErr = (int) ERRNO.get(st, 0L);
      log.debug("Unable to do unprivileged listen on socket, will attempt privileged", "err", strerror(dgramErr));
      fd = (int) SOCKET.invokeExact(st, family, SOCK_RAW, proto);
      if (fd >= 0) {
        return new IcmpSocket(fd, true, v6);
      }
      int rawErr = (int) ERRNO.get(st, 0L);
      throw new IOException("cannot open an ICMP socket: datagram socket: " + strerror(dgramErr) + ", raw socket: "
          + strerror(rawErr) + ". Run as root, grant CAP_NET_RAW (e.g. AmbientCapabilities=CAP_NET_RAW in the "
          + "systemd unit, or setcap cap_net_raw+ep on the java binary), or let the process's group open ping "
          + "sockets with sysctl net.ipv4.ping_group_range=\"0 2147483647\"");
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("ICMP socket: " + t, t);
    }
  }

  void setTtl(int ttl) throws IOException {
    setInt(v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_UNICAST_HOPS : IP_TTL, ttl, "TTL");
  }

  void setDontFragment() throws IOException {
    if (!v6) {
      setInt(IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DO, "don't fragment");
    }
  }

  /** Asks the kernel to report the received TTL / hop limit; false when it cannot. */
  boolean receiveHopLimit() {
    try {
      setInt(v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_RECVHOPLIMIT : IP_RECVTTL, 1, "receive TTL");
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void setInt(int level, int opt, int value, String what) throws IOException {
    MemorySegment v = arena.allocate(JAVA_INT);
    v.set(JAVA_INT, 0, value);
    int rc;
    try {
      rc = (int) SETSOCKOPT.invokeExact(state, fd, level, opt, v, 4);
    } catch (Throwable t) {
      throw new IOException(t);
    }
    if (rc < 0) {
      throw new IOException("setting " + what + ": " + strerror((int) ERRNO.get(state, 0L)));
    }
  }

  void send(byte[] packet, InetAddress to) throws IOException {
    MemorySegment buf = arena.allocate(packet.length);
    MemorySegment.copy(packet, 0, buf, JAVA_BYTE_LAYOUT, 0, packet.length);
    MemorySegment addr = sockaddr(to);
    long n;
    try {
      n = (long) SENDTO.invokeExact(state, fd, buf, (long) packet.length, 0, addr, (int) addr.byteSize());
    } catch (Throwable t) {
      throw new IOException(t);
    }
    if (n < 0) {
      throw new IOException("sendto " + to.getHostAddress() + ": " + strerror((int) ERRNO.get(state, 0L)));
    }
  }

  private static final java.lang.foreign.ValueLayout.OfByte JAVA_BYTE_LAYOUT = java.lang.foreign.ValueLayout.JAVA_BYTE;

  private MemorySegment sockaddr(InetAddress to) {
    byte[] ip = to.getAddress();
    MemorySegment sa = arena.allocate(v6 ? 28 : 16);
    sa.set(JAVA_SHORT, 0, (short) (v6 ? AF_INET6 : AF_INET));
    if (to instanceof Inet6Address a6) {
      MemorySegment.copy(ip, 0, sa, JAVA_BYTE_LAYOUT, 8, 16);
      sa.set(JAVA_INT, 24, a6.getScopeId());
    } else if (to instanceof Inet4Address) {
      MemorySegment.copy(ip, 0, sa, JAVA_BYTE_LAYOUT, 4, 4);
    }
    return sa;
  }

  /**
   * Waits up to {@code deadline} for a packet; null on timeout. Polls in short slices so the
   * (virtual) thread notices interruption and never holds a carrier long.
   */
  Packet receive(Deadline deadline) throws IOException, InterruptedException {
    MemorySegment pfd = arena.allocate(8);
    pfd.set(JAVA_INT, 0, fd);
    pfd.set(JAVA_SHORT, 4, (short) 1); // POLLIN
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException("probe cancelled");
      }
      if (deadline.expired()) {
        return null;
      }
      pfd.set(JAVA_SHORT, 6, (short) 0);
      int rc;
      try {
        rc = (int) POLL.invokeExact(state, pfd, 1L, (int) Math.min(50, deadline.remainingMillis()));
      } catch (Throwable t) {
        throw new IOException(t);
      }
      if (rc < 0) {
        int err = (int) ERRNO.get(state, 0L);
        if (err == EINTR) {
          continue;
        }
        throw new IOException("poll: " + strerror(err));
      }
      if (rc > 0) {
        Packet p = recv();
        if (p != null) {
          return p;
        }
      }
    }
  }

  private Packet recv() throws IOException {
    MemorySegment buf = arena.allocate(65536);
    MemorySegment name = arena.allocate(28);
    MemorySegment control = arena.allocate(256);
    MemorySegment iov = arena.allocate(16);
    iov.set(ADDRESS, 0, buf);
    iov.set(JAVA_LONG, 8, 65536L);
    MemorySegment msg = arena.allocate(56);
    msg.set(ADDRESS, 0, name);
    msg.set(JAVA_INT, 8, 28);
    msg.set(ADDRESS, 16, iov);
    msg.set(JAVA_LONG, 24, 1L);
    msg.set(ADDRESS, 32, control);
    msg.set(JAVA_LONG, 40, 256L);
    long n;
    try {
      n = (long) RECVMSG.invokeExact(state, fd, msg, 0x40); // MSG_DONTWAIT
    } catch (Throwable t) {
      throw new IOException(t);
    }
    if (n < 0) {
      int err = (int) ERRNO.get(state, 0L);
      if (err == EAGAIN || err == EINTR) {
        return null;
      }
      throw new IOException("recvmsg: " + strerror(err));
    }
    byte[] data = buf.asSlice(0, n).toArray(JAVA_BYTE_LAYOUT);
    InetAddress source;
    try {
      source = v6 ? InetAddress.getByAddress(name.asSlice(8, 16).toArray(JAVA_BYTE_LAYOUT))
          : InetAddress.getByAddress(name.asSlice(4, 4).toArray(JAVA_BYTE_LAYOUT));
    } catch (java.net.UnknownHostException e) {
      throw new IOException(e);
    }
    int hop = -1;
    long controlLen = msg.get(JAVA_LONG, 40);
    for (long off = 0; off + 16 <= controlLen; ) {
      long len = control.get(JAVA_LONG, off);
      int level = control.get(JAVA_INT, off + 8);
      int type = control.get(JAVA_INT, off + 12);
      if (len < 16) {
        break;
      }
      if ((level == IPPROTO_IP && type == IP_TTL) || (level == IPPROTO_IPV6 && type == IPV6_HOPLIMIT)) {
        hop = control.get(JAVA_INT, off + 16);
      }
      off += (len + 7) & ~7L;
    }
    if (raw && !v6 && data.length > 20) {
      hop = data[8] & 0xff; // The TTL of the reply's own IP header.
    }
    return new Packet(data, source, hop);
  }

  private static String strerror(int errno) {
    try {
      MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
      return s.reinterpret(256).getString(0) + " (errno " + errno + ")";
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  @Override
  public void close() {
    try {
      int ignored = (int) CLOSE.invokeExact(fd);
    } catch (Throwable ignored) {
      // Nothing to do about a failed close of a probe socket.
    }
    arena.close();
  }
}
