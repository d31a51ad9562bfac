package io.promsuite.exporter.host;

import io.promsuite.exporter.common.collect.Collector;
import io.promsuite.exporter.common.collect.MetricSink;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * {@code node_timex_*}: the kernel's clock discipline from adjtimex(2), in node_exporter's units
 * (offsets in seconds, frequencies as ratios of 2^16 ppm); {@code node_timex_sync_status} is 0
 * when the kernel reports TIME_ERROR (the clock is not synchronised).
 */
public final class TimexCollector implements Collector {
  private static final int TIME_ERROR = 5;
  private static final int STA_NANO = 0x2000;
  private static final double PPM16FRAC = 1000000.0 * 65536.0;

  private final Callable<Adjtimex.Timex> source;

  public TimexCollector(Callable<Adjtimex.Timex> source) {
    this.source = source;
  }

  @Override
  public void collect(MetricSink sink) throws Exception {
    Adjtimex.Timex t;
    try {
      t = source.call();
    } catch (IOException e) {
      throw new IOException("failed to retrieve adjtimex stats: " + e.getMessage(), e);
    }
    double divisor = (t.status() & STA_NANO) != 0 ? 1e9 : 1e6;
    sink.gauge("node_timex_sync_status", "Is clock synchronized to a reliable server (1 = yes, 0 = no).")
        .add(t.state() == TIME_ERROR ? 0 : 1);
    sink.gauge("node_timex_offset_seconds", "Time offset in between local system and reference clock.")
        .add(t.offset() / divisor);
    sink.gauge("node_timex_frequency_adjustment_ratio", "Local clock frequency adjustment.").add(1 + t.freq() / PPM16FRAC);
    sink.gauge("node_timex_maxerror_seconds", "Maximum error in seconds.").add(t.maxerror() / 1e6);
    sink.gauge("node_timex_estimated_error_seconds", "Estimated error in seconds.").add(t.esterror() / 1e6);
    sink.gauge("node_timex_status", "Value of the status array bits.").add(t.status());
    sink.gauge("node_timex_loop_time_constant", "Phase-locked loop time constant.").add(t.constant());
    sink.gauge("node_timex_tick_seconds", "Seconds between clock ticks.").add(t.tick() / 1e6);
    sink.gauge("node_timex_pps_frequency_hertz", "Pulse per second frequency.").add(t.ppsfreq() / PPM16FRAC);
    sink.gauge("node_timex_pps_jitter_seconds", "Pulse per second jitter.").add(t.jitter() / divisor);
    sink.gauge("node_timex_pps_shift_seconds", "Pulse per second interval duration.").add(t.shift());
    sink.gauge("node_timex_pps_stability_hertz", "Pulse per second stability, average of recent frequency changes.")
        .add(t.stabil() / PPM16FRAC);
    sink.counter("node_timex_pps_jitter_total", "Pulse per second count of jitter limit exceeded events.")
        .add(t.jitcnt());
    sink.counter("node_timex_pps_calibration_total", "Pulse per second count of calibration intervals.")
        .add(t.calcnt());
    sink.counter("node_timex_pps_error_total", "Pulse per second count of calibration errors.").add(t.errcnt());
    sink.counter("node_timex_pps_stability_exceeded_total",
        "Pulse per second count of stability limit exceeded events.").add(t.stbcnt());
    sink.gauge("node_timex_tai_offset_seconds", "International Atomic Time (TAI) offset.").add(t.tai());
  }
}
