package io.promsuite.exporter.host;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * libc {@code adjtimex(2)} with {@code modes = 0} (read only) through the foreign-function API:
 * the kernel's clock discipline state, as node_exporter's timex collector reads it.
 */
final class Adjtimex {
  /** The fields of struct timex node_exporter reports, raw, and adjtimex's return value. */
  record Timex(int state, long offset, long freq, long maxerror, long esterror, int status, long constant, long tick,
      long ppsfreq, long jitter, int shift, long stabil, long jitcnt, long calcnt, long errcnt, long stbcnt, int tai) {}

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO_VALUE = ERRNO.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final MethodHandle ADJTIMEX = LINKER.downcallHandle(
      LINKER.defaultLookup().find("adjtimex").orElseThrow(),
      FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
      Linker.Option.captureCallState("errno"));
  // struct timex on x86_64/aarch64 Linux: 208 bytes; offsets of the fields read below.
  private static final int SIZE = 208;

  private Adjtimex() {}

  static Timex read() throws java.io.IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(SIZE, 8);
      MemorySegment errno = arena.allocate(ERRNO);
      int rc = (int) ADJTIMEX.invokeExact(errno, buf);
      if (rc < 0) {
        throw new java.io.IOException("adjtimex: errno " + (int) ERRNO_VALUE.get(errno, 0L));
      }
      return new Timex(rc, buf.get(ValueLayout.JAVA_LONG, 8), buf.get(ValueLayout.JAVA_LONG, 16),
          buf.get(ValueLayout.JAVA_LONG, 24), buf.get(ValueLayout.JAVA_LONG, 32), buf.get(ValueLayout.JAVA_INT, 40),
          buf.get(ValueLayout.JAVA_LONG, 48), buf.get(ValueLayout.JAVA_LONG, 88), buf.get(ValueLayout.JAVA_LONG, 96),
          buf.get(ValueLayout.JAVA_LONG, 104), buf.get(ValueLayout.JAVA_INT, 112), buf.get(ValueLayout.JAVA_LONG, 120),
          buf.get(ValueLayout.JAVA_LONG, 128), buf.get(ValueLayout.JAVA_LONG, 136), buf.get(ValueLayout.JAVA_LONG, 144),
          buf.get(ValueLayout.JAVA_LONG, 152), buf.get(ValueLayout.JAVA_INT, 160));
    } catch (java.io.IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new java.io.IOException("adjtimex: " + t, t);
    }
  }
}
