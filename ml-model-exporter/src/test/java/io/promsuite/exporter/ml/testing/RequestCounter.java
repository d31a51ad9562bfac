package io.promsuite.exporter.ml.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts the S3 requests the SDK sends, by operation: calls, and HTTP attempts including retries. */
public final class RequestCounter implements ExecutionInterceptor {
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> attempts = new ConcurrentHashMap<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new AtomicLong()).incrementAndGet();
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    attempts.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new AtomicLong()).incrementAndGet();
  }

  /** Calls of {@code operation} (e.g. "ListObjectsV2", "GetObject") since the last reset. */
  public long calls(String operation) {
    AtomicLong n = calls.get(operation);
    return n == null ? 0 : n.get();
  }

  /** HTTP requests sent for {@code operation}, retries included. */
  public long attempts(String operation) {
    AtomicLong n = attempts.get(operation);
    return n == null ? 0 : n.get();
  }

  public long totalAttempts() {
    return attempts.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public void reset() {
    calls.clear();
    attempts.clear();
  }

  @Override
  public String toString() {
    return "calls=" + calls + " attempts=" + attempts;
  }
}
