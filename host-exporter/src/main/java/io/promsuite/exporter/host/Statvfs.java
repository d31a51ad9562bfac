package io.promsuite.exporter.host;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * libc {@code statvfs(3)} through the foreign-function API: block counts and sizes as
 * node_exporter's statfs reads them (size = blocks x f_bsize; OSHI and java.nio use f_frsize and
 * hide inode counts), without JNI.
 */
final class Statvfs {
  /** One mount's figures. */
  record Stats(long bsize, long blocks, long bfree, long bavail, long files, long ffree) {}

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO_VALUE =
      ERRNO.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle STATVFS = LINKER.downcallHandle(
      LINKER.defaultLookup().find("statvfs").orElseThrow(),
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
      Linker.Option.captureCallState("errno"));
  // struct statvfs on LP64 glibc: 11 unsigned longs then int __f_spare[6] (112 bytes).
  private static final int SIZE = 112;

  private Statvfs() {}

  static Stats of(String path) throws java.io.IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment cpath = arena.allocateFrom(path);
      MemorySegment buf = arena.allocate(SIZE, 8);
      MemorySegment errno = arena.allocate(ERRNO);
      int rc = (int) STATVFS.invokeExact(errno, cpath, buf);
      if (rc != 0) {
        throw new java.io.IOException("statvfs " + path + ": errno " + (int) ERRNO_VALUE.get(errno, 0L));
      }
      long bsize = buf.get(ValueLayout.JAVA_LONG, 0);
      return new Stats(bsize, buf.get(ValueLayout.JAVA_LONG, 16), buf.get(ValueLayout.JAVA_LONG, 24),
          buf.get(ValueLayout.JAVA_LONG, 32), buf.get(ValueLayout.JAVA_LONG, 40), buf.get(ValueLayout.JAVA_LONG, 48));
    } catch (java.io.IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new java.io.IOException("statvfs " + path + ": " + t, t);
    }
  }
}
