package io.promsuite.exporter.common.tls;

import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * Accepts every certificate: for a web config's RequestClientCert / RequireAnyClientCert (a client
 * certificate is asked for, not verified) and a probe's {@code insecure_skip_verify}.
 */
public final class TrustAll implements X509TrustManager {
  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
