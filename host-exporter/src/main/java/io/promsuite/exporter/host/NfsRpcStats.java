package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * /proc/net/rpc/nfs (client) and /proc/net/rpc/nfsd (server), validated line by line as
 * node_exporter's procfs library does: an unknown line or a wrong field count fails the read, a
 * line that is absent reads as zeros.
 */
final class NfsRpcStats {
  static final List<String> V2 = List.of("Null", "GetAttr", "SetAttr", "Root", "Lookup", "ReadLink", "Read", "WrCache",
      "Write", "Create", "Remove", "Rename", "Link", "SymLink", "MkDir", "RmDir", "ReadDir", "FsStat");
  static final List<String> V3 = List.of("Null", "GetAttr", "SetAttr", "Lookup", "Access", "ReadLink", "Read", "Write",
      "Create", "MkDir", "SymLink", "MkNod", "Remove", "RmDir", "Rename", "Link", "ReadDir", "ReadDirPlus", "FsStat",
      "FsInfo", "PathConf", "Commit");
  static final List<String> CLIENT_V4 = List.of("Null", "Read", "Write", "Commit", "Open", "OpenConfirm", "OpenNoattr",
      "OpenDowngrade", "Close", "Setattr", "FsInfo", "Renew", "SetClientID", "SetClientIDConfirm", "Lock", "Lockt",
      "Locku", "Access", "Getattr", "Lookup", "LookupRoot", "Remove", "Rename", "Link", "Symlink", "Create", "Pathconf",
      "StatFs", "ReadLink", "ReadDir", "ServerCaps", "DelegReturn", "GetACL", "SetACL", "FsLocations",
      "ReleaseLockowner", "Secinfo", "FsidPresent", "ExchangeID", "CreateSession", "DestroySession", "Sequence",
      "GetLeaseTime", "ReclaimComplete", "LayoutGet", "GetDeviceInfo", "LayoutCommit", "LayoutReturn", "SecinfoNoName",
      "TestStateID", "FreeStateID", "GetDeviceList", "BindConnToSession", "DestroyClientID", "Seek", "Allocate",
      "DeAllocate", "LayoutStats", "Clone");
  static final List<String> V4_OPS = List.of("Op0Unused", "Op1Unused", "Op2Future", "Access", "Close", "Commit",
      "Create", "DelegPurge", "DelegReturn", "GetAttr", "GetFH", "Link", "Lock", "Lockt", "Locku", "Lookup", "LookupRoot",
      "Nverify", "Open", "OpenAttr", "OpenConfirm", "OpenDgrd", "PutFH", "PutPubFH", "PutRootFH", "Read", "ReadDir",
      "ReadLink", "Remove", "Rename", "Renew", "RestoreFH", "SaveFH", "SecInfo", "SetAttr", "Verify", "Write",
      "RelLockOwner");

  private final Map<String, double[]> lines;

  private NfsRpcStats(Map<String, double[]> lines) {
    this.lines = lines;
  }

  /** The values of line {@code label} (for procN lines without the leading count), zeros if absent. */
  double[] get(String label, int size) {
    double[] v = lines.get(label);
    return v == null ? new double[size] : v;
  }

  /** One {@code requests_total} sample per procedure of {@code proto}, those in {@code skipped} left out. */
  void procedures(MetricSink.Family requests, String proto, String line, List<String> names, Set<String> skipped) {
    double[] values = get(line, names.size());
    for (int i = 0; i < names.size(); i++) {
      if (!skipped.contains(names.get(i))) {
        requests.add(values[i], proto, names.get(i));
      }
    }
  }

  static NfsRpcStats read(Path file, boolean server) throws IOException {
    Map<String, double[]> out = new HashMap<>();
    int n = 0;
    for (String line : Fields.lines(HostPaths.read(file))) {
      n++;
      List<String> parts = Fields.split(line);
      if (parts.size() < 2) {
        throw new IOException(file + ":" + n + ": invalid line '" + line + "'");
      }
      String label = parts.get(0);
      List<String> fields = server && label.equals("th") ? parts.subList(1, Math.min(3, parts.size())) : parts.subList(1,
          parts.size());
      if (server && label.equals("th") && parts.size() < 3) {
        throw new IOException(file + ":" + n + ": invalid th line '" + line + "'");
      }
      double[] v = new double[fields.size()];
      for (int i = 0; i < v.length; i++) {
        Double d = GoNumbers.parseUint10(fields.get(i));
        if (d == null) {
          throw new IOException(file + ":" + n + ": field " + (i + 1) + " is not an unsigned integer: '" + fields.get(i) + "'");
        }
        v[i] = d;
      }
      out.put(label, validate(file, n, label, v, server));
    }
    return new NfsRpcStats(out);
  }

  private static double[] validate(Path file, int n, String label, double[] v, boolean server) throws IOException {
    int want = switch (label) {
      case "net" -> 4;
      case "rpc" -> server ? 5 : 3;
      case "rc" -> server ? 3 : -1;
      case "fh" -> server ? 5 : -1;
      case "io", "th" -> server ? 2 : -1;
      case "ra" -> server ? 12 : -1;
      case "proc2", "proc3", "proc4", "proc4ops" -> 0;
      default -> -1;
    };
    if (want < 0 || label.equals("proc4ops") && !server) {
      throw new IOException(file + ":" + n + ": unknown line '" + label + "'");
    }
    if (want > 0) {
      if (v.length != want) {
        throw new IOException(file + ":" + n + ": " + label + " has " + v.length + " fields, " + want + " expected");
      }
      return v;
    }
    // procN: a count, then that many values.
    int count = (int) v[0];
    int minimum = switch (label) {
      case "proc2" -> V2.size();
      case "proc3" -> V3.size();
      case "proc4" -> server ? 2 : 0;
      default -> V4_OPS.size();
    };
    boolean exact = label.equals("proc4") && server;
    if (v.length - 1 != count || count < minimum || exact && count != 2) {
      throw new IOException(file + ":" + n + ": invalid " + label + " line");
    }
    int size = switch (label) {
      case "proc2" -> V2.size();
      case "proc3" -> V3.size();
      case "proc4" -> server ? 2 : CLIENT_V4.size();
      default -> V4_OPS.size();
    };
    double[] values = new double[size];
    System.arraycopy(v, 1, values, 0, Math.min(size, count));
    return values;
  }
}
