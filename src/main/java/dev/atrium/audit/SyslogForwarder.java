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

  private final AuditFiles files;
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

  SyslogForwarder(AuditFiles files, Path offsetFile, Target target, String host) {
    this.files = files;
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

  /**
   * Sends every whole line after the saved position, file after file: a closed file to its end, then the next; the
   * live file up to its last whole line (one still being written waits for the next round).
   */
  private void sendPending() throws IOException {
    if (!isSender()) return;
    SpoolPosition at = SpoolPosition.read(offsetFile);
    while (!closed) {
      Reading reading = open(at.file());
      if (reading == null) return; // no live file yet
      try (FileChannel channel = reading.channel()) {
        if (reading.file() != at.file()) {
          log.warn("audit trail: audit-{}.log is gone before it was sent to syslog; going on with {}", at.file(),
              reading.closed() ? "audit-" + reading.file() + ".log" : AuditFiles.LIVE);
          at = new SpoolPosition(reading.file(), 0);
        }
        long end = sendLines(channel, at);
        if (closed || !reading.closed()) return;
        if (end < channel.size()) {
          log.warn("audit trail: audit-{}.log ends in a part of a record (a crash cut it); not sent", at.file());
        }
        at = at.nextFile();
        at.write(offsetFile);
      }
    }
  }

  /** An audit file opened to be sent: its number, and whether it is closed (no record will be added to it). */
  private record Reading(long file, FileChannel channel, boolean closed) {}

  /**
   * The file numbered {@code number}, or, when it was removed unsent, the next one there is; null when that is the
   * live file and it does not exist yet.
   */
  private Reading open(long number) throws IOException {
    long live = files.liveNumber(); // once: a later count could already be the successor's
    if (number < live) {
      for (long closedFile : files.closedNumbers()) {
        if (closedFile < number) continue;
        try {
          return new Reading(closedFile, FileChannel.open(files.closed(closedFile), StandardOpenOption.READ), true);
        } catch (NoSuchFileException e) {
          // removed meanwhile: the next one
        }
      }
    }
    number = live; // also for a number beyond it (closed files removed by hand): the live one from its start
    FileChannel channel;
    try {
      channel = FileChannel.open(files.live(), StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
    // Closed between the numbering and the open: what was opened may be the new live file. A closed name that
    // does not exist after the open means the open found the file numbered so (it is renamed before its successor
    // is made).
    if (Files.exists(files.closed(number))) {
      channel.close();
      return new Reading(number, FileChannel.open(files.closed(number), StandardOpenOption.READ), true);
    }
    return new Reading(number, channel, false);
  }

  /** Sends the whole lines from the position, saving the position as it goes; the offset after the last one sent. */
  private long sendLines(FileChannel channel, SpoolPosition from) throws IOException {
    long offset = from.offset();
    if (channel.size() <= offset) return offset;
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
      if (++sent % SAVE_EVERY == 0) new SpoolPosition(from.file(), offset).write(offsetFile);
    }
    if (sent > 0) new SpoolPosition(from.file(), offset).write(offsetFile);
    return offset;
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
