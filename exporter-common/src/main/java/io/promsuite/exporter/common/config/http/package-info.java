/**
 * Prometheus' common HTTP client config (prometheus/common {@code config.HTTPClientConfig}) as
 * records read by {@link io.promsuite.exporter.common.config.YamlConfig}: the one schema for the
 * credentials, TLS and proxy settings of every exporter's outgoing HTTP requests.
 */
package io.promsuite.exporter.common.config.http;
