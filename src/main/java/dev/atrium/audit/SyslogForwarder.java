package dev.atrium.audit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the audit spool to a syslog collector: RFC 5424 messages (IHE ATNA: MSGID IHE+RFC-3881,
 * facility authpriv) over TLS with octet-counting framing (RFC 5425), plain TCP (RFC 6587) or
 * UDP (RFC 5426). Its own thread reads the spool from a saved offset and advances the offset only
 * after a message went out, so a collector that is down or slow gets everything later, in order
 * (at least once: after a crash the last few may be sent again). UDP cannot tell a lost datagram.
 * Nodes that share a data directory share the spool: the one holding an OS lock on the offset's
 * {@code .lock} file sends, the others wait to take over, so each record goes out once.
 */
public final class SyslogForwarder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyslogForwarder.class);
  private static final int PRI = 10 * 8 + 5; // authpriv.notice
  private static final int MAX_BACKOFF_MS = 30_000;
  private static final int SAVE_EVERY = 100;

  public enum Protocol { TLS, TCP, UDP }

  /** Where to send; {@code tls} verifies the collector (TLS only). */
  public record Target(String host, int port, Protocol protocol, SSLContext tls, SSLParameters tlsParameters) {}

  private final Path spool;
  private final Path offsetFile;
  private final Target target;
  private final String host;
  private final Object signal = new Object();
  private final Thread thread;
  private volatile boolean closed;
  private Socket stream;
  private OutputStream streamOut;
  private DatagramSocket datagrams;
  private FileChannel senderLockFile;
  private FileLock senderLock;

  SyslogForwarder(Path spool, Path offsetFile, Target target, String host) {
    this.spool = spool;
    this.offsetFile = offsetFile;
    this.target = target;
    this.host = host;
    this.thread = new Thread(this::run, "audit-syslog");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** New records are in the spool. */
  void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  private void run() {
    int backoff = 500;
    while (!closed) {
      try {
        sendPending();
        backoff = 500;
        synchronized (signal) {
          if (!closed) signal.wait(1000);
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!closed) log.warn("audit trail: syslog {}:{} unreachable ({}); retrying in {} ms", target.host(),
            target.port(), e.toString(), backoff);
        disconnect();
        synchronized (signal) {
          try {
            signal.wait(backoff);
          } catch (InterruptedException interrupted) {
            return;
          }
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** Sends every whole line after the saved offset; a line still being written waits for the next round. */
  private void sendPending() throws IOException {
    if (!isSender()) return;
    long offset = savedOffset();
    try (FileChannel channel = FileChannel.open(spool, StandardOpenOption.READ)) {
      if (channel.size() <= offset) return;
      channel.position(offset);
      InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024);
      ByteArrayOutputStream line = new ByteArrayOutputStream(2048);
      int sent = 0;
      for (int b; (b = in.read()) >= 0 && !closed; ) {
        if (b != '\n') {
          line.write(b);
          continue;
        }
        send(line.toString(StandardCharsets.UTF_8));
        offset += line.size() + 1;
        line.reset();
        if (++sent % SAVE_EVERY == 0) saveOffset(offset);
      }
      if (sent > 0) saveOffset(offset);
    }
  }

  private void send(String xml) throws IOException {
    // RFC 5424 6: PRI VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
    String header = "<" + PRI + ">1 " + Instant.now() + " " + host + " atrium " + ProcessHandle.current().pid()
        + " IHE+RFC-3881 - ";
    byte[] message = (header + xml).getBytes(StandardCharsets.UTF_8);
    if (target.protocol() == Protocol.UDP) {
      if (datagrams == null) {
        datagrams = new DatagramSocket();
        datagrams.connect(new InetSocketAddress(target.host(), target.port()));
      }
      datagrams.send(new DatagramPacket(message, message.length));
      return;
    }
    if (stream == null) connect();
    // RFC 5425 4.3 / RFC 6587 3.4.1 octet counting: "MSG-LEN SP SYSLOG-MSG".
    streamOut.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
    streamOut.write(message);
    streamOut.flush();
  }

  private void connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(target.host(), target.port()), 5000);
    if (target.protocol() == Protocol.TLS) {
      SSLSocket secure = (SSLSocket) target.tls().getSocketFactory().createSocket(socket, target.host(),
          target.port(), true);
      SSLParameters parameters = target.tlsParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the collector's certificate must name it
      secure.setSSLParameters(parameters);
      secure.startHandshake();
      socket = secure;
    }
    stream = socket;
    streamOut = socket.getOutputStream();
  }

  private void disconnect() {
    try {
      if (stream != null) stream.close();
    } catch (IOException ignored) {
      // reconnecting anyway
    }
    stream = null;
    streamOut = null;
    if (datagrams != null) datagrams.close();
    datagrams = null;
  }

  /** Whether this process sends the shared spool: it holds the lock, or took it now. */
  private boolean isSender() throws IOException {
    if (senderLock != null && senderLock.isValid()) return true;
    if (senderLockFile == null) {
      senderLockFile = FileChannel.open(offsetFile.resolveSibling(offsetFile.getFileName() + ".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
    try {
      senderLock = senderLockFile.tryLock();
    } catch (OverlappingFileLockException e) {
      senderLock = null; // another forwarder of this JVM sends
    }
    return senderLock != null;
  }

  private long savedOffset() throws IOException {
    try {
      return Long.parseLong(Files.readString(offsetFile).trim());
    } catch (NoSuchFileException e) {
      return 0;
    } catch (NumberFormatException e) {
      log.warn("audit trail: {} is unreadable; sending the spool from its start", offsetFile);
      return 0;
    }
  }

  private void saveOffset(long offset) throws IOException {
    Path temp = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
    Files.writeString(temp, Long.toString(offset));
    Files.move(temp, offsetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void close() {
    closed = true;
    wake();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    disconnect();
    try {
      if (senderLockFile != null) senderLockFile.close(); // releases the lock: another node takes over
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
