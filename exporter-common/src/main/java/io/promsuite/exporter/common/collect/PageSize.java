package io.promsuite.exporter.common.collect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kernel's page size (4 KiB mostly, 16 or 64 KiB on some arm64 kernels), without a native call. */
public final class PageSize {
  private static final long AT_PAGESZ = 6;
  private static final long BYTES = read(Path.of("/proc/self/auxv"));

  private PageSize() {}

  public static long bytes() {
    return BYTES;
  }

  /** AT_PAGESZ of the auxiliary vector, where glibc's getpagesize() gets it; 4096 without one. */
  static long read(Path auxvFile) {
    try {
      ByteBuffer auxv = ByteBuffer.wrap(Files.readAllBytes(auxvFile)).order(ByteOrder.nativeOrder());
      while (auxv.remaining() >= 16) {
        long type = auxv.getLong();
        long value = auxv.getLong();
        if (type == AT_PAGESZ && value > 0) {
          return value;
        }
        if (type == 0) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no /proc: the common size
    }
    return 4096;
  }
}
