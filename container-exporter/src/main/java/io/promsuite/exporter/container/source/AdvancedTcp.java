package io.promsuite.exporter.container.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * cAdvisor's advtcp group: the {@code Tcp:} lines of /proc/PID/net/snmp and the {@code TcpExt:}
 * lines of /proc/PID/net/netstat (the container's network namespace), as cAdvisor's
 * {@code TcpAdvancedStat} holds them: its 99 counters, each under its lower-cased name as the
 * {@code tcp_state} label; a counter this kernel does not have is 0, as in cAdvisor.
 */
final class AdvancedTcp {
  /** cAdvisor's counters, in the order its collector writes them (the kernel's own spelling). */
  static final List<String> COUNTERS = List.of(
      "RtoAlgorithm", "RtoMin", "RtoMax", "MaxConn", "ActiveOpens", "PassiveOpens", "AttemptFails",
      "EstabResets", "CurrEstab", "InSegs", "OutSegs", "RetransSegs", "InErrs", "OutRsts", "InCsumErrors",
      "EmbryonicRsts", "SyncookiesSent", "SyncookiesRecv", "SyncookiesFailed", "PruneCalled", "RcvPruned",
      "OfoPruned", "OutOfWindowIcmps", "LockDroppedIcmps", "TW", "TWRecycled", "TWKilled",
      "TCPTimeWaitOverflow", "TCPTimeouts", "TCPSpuriousRTOs", "TCPLossProbes", "TCPLossProbeRecovery",
      "TCPRenoRecoveryFail", "TCPSackRecoveryFail", "TCPRenoFailures", "TCPSackFailures", "TCPLossFailures",
      "DelayedACKs", "DelayedACKLocked", "DelayedACKLost", "ListenOverflows", "ListenDrops", "TCPHPHits",
      "TCPPureAcks", "TCPHPAcks", "TCPRenoRecovery", "TCPSackRecovery", "TCPSACKReneging", "TCPFACKReorder",
      "TCPSACKReorder", "TCPRenoReorder", "TCPTSReorder", "TCPFullUndo", "TCPPartialUndo", "TCPDSACKUndo",
      "TCPLossUndo", "TCPFastRetrans", "TCPSlowStartRetrans", "TCPLostRetransmit", "TCPRetransFail",
      "TCPRcvCollapsed", "TCPDSACKOldSent", "TCPDSACKOfoSent", "TCPDSACKRecv", "TCPDSACKOfoRecv",
      "TCPAbortOnData", "TCPAbortOnClose", "TCPAbortOnMemory", "TCPAbortOnTimeout", "TCPAbortOnLinger",
      "TCPAbortFailed", "TCPMemoryPressures", "TCPMemoryPressuresChrono", "TCPSACKDiscard",
      "TCPDSACKIgnoredOld", "TCPDSACKIgnoredNoUndo", "TCPMD5NotFound", "TCPMD5Unexpected", "TCPMD5Failure",
      "TCPSackShifted", "TCPSackMerged", "TCPSackShiftFallback", "TCPBacklogDrop", "PFMemallocDrop",
      "TCPMinTTLDrop", "TCPDeferAcceptDrop", "IPReversePathFilter", "TCPReqQFullDoCookies", "TCPReqQFullDrop",
      "TCPFastOpenActive", "TCPFastOpenActiveFail", "TCPFastOpenPassive", "TCPFastOpenPassiveFail",
      "TCPFastOpenListenOverflow", "TCPFastOpenCookieReqd", "TCPSynRetrans", "TCPOrigDataSent", "PAWSActive",
      "PAWSEstab");

  private AdvancedTcp() {}

  /** The counters by cAdvisor's label; empty when the process is gone. */
  static Map<String, Long> read(Path procRoot, long pid) throws IOException {
    Map<String, Long> found = new HashMap<>();
    Path dir = procRoot.resolve(Long.toString(pid)).resolve("net");
    if (!scan(dir.resolve("netstat"), found) || !scan(dir.resolve("snmp"), found)) {
      return Map.of();
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (String name : COUNTERS) {
      out.put(name.toLowerCase(Locale.ROOT), found.getOrDefault(name.toLowerCase(Locale.ROOT), 0L));
    }
    return out;
  }

  /**
   * Adds the Tcp and TcpExt counters of a name-line / value-line file to {@code out}, keyed by the
   * lower-cased name (cAdvisor matches the names to its fields ignoring case). False when absent.
   */
  private static boolean scan(Path file, Map<String, Long> out) throws IOException {
    List<String> lines = CgroupFiles.readLinesIfExists(file);
    if (lines == null) {
      return false;
    }
    for (int i = 0; i + 1 < lines.size(); i += 2) {
      String[] names = CgroupFiles.SPACES.split(lines.get(i).trim());
      String protocol = names[0];
      if (!protocol.equals("Tcp:") && !protocol.equals("TcpExt:")) {
        continue;
      }
      String[] values = CgroupFiles.SPACES.split(lines.get(i + 1).trim());
      if (names.length != values.length || !values[0].equals(protocol)) {
        throw new IOException(file + ":" + (i + 2) + ": " + (names.length - 1) + " names for " + protocol + " but "
            + (values.length - 1) + " values");
      }
      for (int k = 1; k < names.length; k++) {
        out.put(names[k].toLowerCase(Locale.ROOT), CgroupFiles.parse(file, values[k]));
      }
    }
    return true;
  }
}
