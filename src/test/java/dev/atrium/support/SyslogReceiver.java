package dev.atrium.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A syslog collector over TLS (RFC 5425: octet-counted frames), as a site's SIEM would run it:
 * collects every message it receives.
 */
public final class SyslogReceiver implements AutoCloseable {
  public final List<String> messages = new CopyOnWriteArrayList<>();
  private final ServerSocket server;
  private final Thread acceptor;

  /** Over TLS, or plain TCP when {@code tls} is null. */
  public SyslogReceiver(SSLContext tls, int port) throws IOException {
    server = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    acceptor = new Thread(this::accept, "syslog-receiver");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread reader = new Thread(() -> read(socket), "syslog-connection");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void read(Socket socket) {
    try (socket; InputStream in = new BufferedInputStream(socket.getInputStream())) {
      while (true) {
        int length = 0;
        for (int b; (b = in.read()) != ' '; ) {
          if (b < 0) return;
          if (b < '0' || b > '9') throw new IOException("not an octet count: " + (char) b);
          length = length * 10 + (b - '0');
        }
        byte[] message = in.readNBytes(length);
        if (message.length < length) return;
        messages.add(new String(message, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      messages.add("RECEIVER ERROR " + e);
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
