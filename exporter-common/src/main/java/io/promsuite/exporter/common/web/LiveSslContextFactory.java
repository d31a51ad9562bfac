package io.promsuite.exporter.common.web;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's TLS engine factory over our SSLContext (whose key and trust managers follow the live web
 * config): each new connection gets the current config's versions, cipher suites and client-auth
 * policy, exactly as configured (Jetty's own include/exclude lists are not applied).
 */
final class LiveSslContextFactory extends SslContextFactory.Server {
  private final SSLContext ssl;
  private final LiveWebConfig web;

  LiveSslContextFactory(SSLContext ssl, LiveWebConfig web) {
    this.ssl = ssl;
    this.web = web;
    setSslContext(ssl);
  }

  /**
   * Jetty's start-up review of its own cipher and protocol selection, which {@link #customize}
   * replaces with the web config's: it would warn about suites the connection never offers.
   */
  @Override
  protected void checkConfiguration() {
  }

  @Override
  public void customize(SSLEngine engine) {
    engine.setSSLParameters(WebServer.parameters(ssl, web.config().tlsServerConfig()));
  }
}
