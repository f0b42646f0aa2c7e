package dev.atrium.web;

import dev.atrium.config.AtriumConfig;
import dev.atrium.security.TlsContexts;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The HTTPS listener: TLS 1.2+ with BCP 195 ciphers, HTTP/2 when the client offers h2 by ALPN, else HTTP/1.1. */
final class HttpsConnector {
  private HttpsConnector() {}

  static ServerConnector create(Server server, SSLContext tls, AtriumConfig.Http http) {
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setSslContext(tls);
    factory.setIncludeProtocols(TlsContexts.PROTOCOLS);
    factory.setIncludeCipherSuites(TlsContexts.CIPHER_SUITES);
    factory.setCipherComparator(HTTP2Cipher.COMPARATOR);

    HttpConfiguration config = WebServer.httpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // clients may address the archive by IP; the certificate check is theirs
    config.addCustomizer(secure);
    HttpConnectionFactory http11 = new HttpConnectionFactory(config);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
    alpn.setDefaultProtocol(http11.getProtocol());
    ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(factory, alpn.getProtocol()),
        alpn, h2, http11);
    connector.setHost(http.bindAddress());
    connector.setPort(http.tlsPort());
    connector.setIdleTimeout(http.idleTimeoutSeconds() * 1000L);
    return connector;
  }
}
