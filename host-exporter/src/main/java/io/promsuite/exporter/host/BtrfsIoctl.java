package io.promsuite.exporter.host;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The three btrfs ioctls node_exporter's btrfs collector makes on a mounted filesystem
 * (BTRFS_IOC_FS_INFO, BTRFS_IOC_DEV_INFO, BTRFS_IOC_GET_DEV_STATS), through the foreign-function
 * API: per device its size, bytes used and error counters.
 */
final class BtrfsIoctl {
  /** One device: kernel path, its UUID (dashed), sizes, and write/read/flush/corruption/generation errors. */
  record Device(String path, String uuid, long bytesUsed, long totalBytes, long[] errors) {}

  private static final int O_RDONLY = 0;
  private static final int ENODEV = 19;
  // _IOR(0x94, 31, 1024), _IOWR(0x94, 30, 4096), _IOWR(0x94, 52, 1032)
  private static final long FS_INFO = 0x8400941FL;
  private static final long DEV_INFO = 0xD000941EL;
  private static final long GET_DEV_STATS = 0xC4089434L;
  private static final int DEV_PATH_OFFSET = 3072;
  private static final int DEV_PATH_MAX = 1024;
  private static final int DEV_STAT_VALUES = 5;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO_VALUE = ERRNO.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
      Linker.Option.captureCallState("errno"));
  private static final MethodHandle IOCTL = LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
      Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
  private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

  private BtrfsIoctl() {}

  /** The filesystem's id as node_exporter keys it (32 hex digits) and its devices, from the mount point. */
  record Filesystem(String fsid, List<Device> devices) {}

  static Filesystem read(Path mountPoint) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(ERRNO);
      int fd = (int) OPEN.invokeExact(errno, arena.allocateFrom(mountPoint.toString(), StandardCharsets.UTF_8), O_RDONLY);
      if (fd < 0) {
        throw new IOException("open " + mountPoint + ": errno " + (int) ERRNO_VALUE.get(errno, 0L));
      }
      try {
        MemorySegment info = arena.allocate(1024, 8);
        ioctl(fd, FS_INFO, info, errno, mountPoint);
        long maxId = info.get(ValueLayout.JAVA_LONG, 0);
        long numDevices = info.get(ValueLayout.JAVA_LONG, 8);
        String fsid = HexFormat.of().formatHex(info.asSlice(16, 16).toArray(ValueLayout.JAVA_BYTE));
        List<Device> devices = new ArrayList<>();
        MemorySegment dev = arena.allocate(4096, 8);
        MemorySegment stats = arena.allocate(1032, 8);
        for (long id = 0; id <= maxId; id++) {
          dev.fill((byte) 0);
          dev.set(ValueLayout.JAVA_LONG, 0, id);
          int rc = (int) IOCTL.invokeExact(errno, fd, DEV_INFO, dev);
          if (rc < 0) {
            int e = (int) ERRNO_VALUE.get(errno, 0L);
            if (e == ENODEV) {
              continue;
            }
            throw new IOException("BTRFS_IOC_DEV_INFO on " + mountPoint + ": errno " + e);
          }
          stats.fill((byte) 0);
          stats.set(ValueLayout.JAVA_LONG, 0, id);
          stats.set(ValueLayout.JAVA_LONG, 8, DEV_STAT_VALUES);
          ioctl(fd, GET_DEV_STATS, stats, errno, mountPoint);
          long[] errors = new long[DEV_STAT_VALUES];
          for (int i = 0; i < DEV_STAT_VALUES; i++) {
            errors[i] = stats.get(ValueLayout.JAVA_LONG, 24 + 8L * i);
          }
          byte[] path = dev.asSlice(DEV_PATH_OFFSET, DEV_PATH_MAX).toArray(ValueLayout.JAVA_BYTE);
          int len = 0;
          while (len < path.length && path[len] != 0) {
            len++;
          }
          devices.add(new Device(new String(path, 0, len, StandardCharsets.UTF_8),
              uuid(dev.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE)), dev.get(ValueLayout.JAVA_LONG, 24),
              dev.get(ValueLayout.JAVA_LONG, 32), errors));
          if (devices.size() == numDevices) {
            break;
          }
        }
        return new Filesystem(fsid, devices);
      } finally {
        int ignored = (int) CLOSE.invokeExact(fd);
      }
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("btrfs ioctl on " + mountPoint + ": " + t, t);
    }
  }

  private static void ioctl(int fd, long request, MemorySegment arg, MemorySegment errno, Path where) throws Throwable {
    int rc = (int) IOCTL.invokeExact(errno, fd, request, arg);
    if (rc < 0) {
      throw new IOException("ioctl 0x" + Long.toHexString(request) + " on " + where + ": errno "
          + (int) ERRNO_VALUE.get(errno, 0L));
    }
  }

  /** 8-4-4-4-12 lower-case hex, as the Go library prints a device UUID. */
  private static String uuid(byte[] b) {
    String h = HexFormat.of().formatHex(b);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
        + h.substring(20);
  }
}
