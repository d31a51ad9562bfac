package io.promsuite.exporter.blackbox;

import io.promsuite.exporter.common.testing.Poll;
import io.promsuite.exporter.common.testing.Ports;
import io.promsuite.exporter.common.testing.RealParts;
import io.promsuite.exporter.common.testing.RealProcess;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Debian's dnsmasq on a free loopback port with static test records; stopped by PID. */
final class DnsmasqServer implements AutoCloseable {
  final int port;
  final RealProcess process;

  DnsmasqServer() throws Exception {
    Path dnsmasq = RealParts.require("/usr/sbin/dnsmasq");
    port = Ports.free();
    Path log = Files.createTempFile("dnsmasq", ".log");
    process = RealProcess.start(List.of(dnsmasq.toString(), "--no-daemon", "--port=" + port,
        "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
        "--pid-file=", "--user=root", "--local=/test/",
        "--address=/wild.test/192.0.2.1",
        "--host-record=host.test,192.0.2.10,2001:db8::10",
        "--host-record=multi.test,192.0.2.21",
        "--host-record=multi.test,192.0.2.22",
        "--cname=alias.test,host.test",
        "--mx-host=mail.test,mx1.mail.test,10",
        "--mx-host=mail.test,mx2.mail.test,20",
        "--txt-record=txt.test,\"v=spf1 -all\"",
        "--srv-host=_http._tcp.srv.test,host.test,80,0,5"), log);
    awaitAnswer();
  }

  String target() {
    return "127.0.0.1:" + port;
  }

  private void awaitAnswer() throws Exception {
    byte[] wire = Message.newQuery(Record.newRecord(Name.fromString("host.test."), Type.A, DClass.IN)).toWire();
    Poll.untilPasses(Duration.ofSeconds(20), "dnsmasq answering on port " + port, () -> {
      process.alive();
      try (DatagramSocket s = new DatagramSocket()) {
        s.setSoTimeout(200);
        s.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), port));
        s.receive(new DatagramPacket(new byte[512], 512));
      }
    });
  }

  @Override
  public void close() {
    process.close();
  }
}
