package io.promsuite.exporter.ml.source;

/** One offline evaluation result of a model version: {@code metric} measured on {@code dataset}. */
public record EvalMetric(String dataset, String metric, double value) {}
