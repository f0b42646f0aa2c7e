package dev.atrium.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Listens on a port and relays each connection to another: a peer that a test can make reachable at an address only
 * from a chosen moment (until then, nothing listens there and a connection is refused).
 */
public final class TcpForwarder implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final AtomicInteger connections = new AtomicInteger();

  /** Starts listening on {@code port} (of the loopback address), relaying to {@code targetPort} there. */
  public TcpForwarder(int port, int targetPort) throws IOException {
    this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    Thread acceptor = new Thread(this::accept, "tcp-forwarder-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** How many connections it has taken. */
  public int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      connections.incrementAndGet();
      try {
        Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        relay(client, target);
        relay(target, client);
      } catch (IOException e) {
        close(client); // the target is down: so is this connection
      }
    }
  }

  private static void relay(Socket from, Socket to) {
    Thread copier = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // the other side closed: so does this one
      } finally {
        close(to);
        close(from);
      }
    }, "tcp-forwarder-relay");
    copier.setDaemon(true);
    copier.start();
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
