package dev.atrium.support;

import dev.atrium.dimse.net.AssociationInfo;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DimseExchange;
import dev.atrium.dimse.net.DimseRequestHandler;
import dev.atrium.dimse.net.DimseServer;
import dev.atrium.dimse.net.DimseServerSettings;
import dev.atrium.dimse.net.DimseServiceRegistry;
import dev.atrium.dimse.net.EchoHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A C-MOVE destination the test steers (dcmtk's storescp cannot be paused): it can hold the n-th C-STORE it
 * receives until the test releases it, so "during the move" is a state the test reaches, not a moment it hopes
 * to hit. Records the SOP Instance UIDs received and counts associations.
 */
public final class HoldingStoreScp implements DimseServiceRegistry, AutoCloseable {
  public final String aeTitle;
  public final int port;
  private final DimseServer server;
  private final List<String> received = new ArrayList<>();
  private final AtomicInteger associations = new AtomicInteger();
  private volatile int holdAt;
  private volatile CountDownLatch arrived = new CountDownLatch(0), release = new CountDownLatch(0);

  public HoldingStoreScp(String aeTitle, int port) throws IOException {
    this.aeTitle = aeTitle;
    this.port = port;
    this.server = new DimseServer(new DimseServerSettings("127.0.0.1", port, aeTitle, 65536, 4, 120_000), this);
    server.start();
  }

  /** Holds the {@code n}-th C-STORE from now on (1 = the next one) until {@link #release()}. */
  public synchronized void holdAt(int n) {
    received.clear();
    associations.set(0);
    arrived = new CountDownLatch(1);
    release = new CountDownLatch(1);
    holdAt = n;
  }

  /** Waits until the held C-STORE has arrived (its response not sent). */
  public void awaitHeld() throws InterruptedException {
    if (!arrived.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("the held C-STORE never arrived");
  }

  public void release() {
    release.countDown();
  }

  public synchronized List<String> received() {
    return List.copyOf(received);
  }

  public int associations() {
    return associations.get();
  }

  private void store(DimseExchange exchange, CommandSet request, InputStream dataSet) throws Exception {
    dataSet.transferTo(java.io.OutputStream.nullOutputStream());
    int n;
    synchronized (this) {
      received.add(request.getString(CommandSet.AFFECTED_SOP_INSTANCE_UID));
      n = received.size();
    }
    if (n == holdAt) {
      arrived.countDown();
      if (!release.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
    }
    exchange.sendResponse(CommandSet.responseTo(request, CommandSet.C_STORE_RSP, CommandSet.STATUS_SUCCESS), null);
  }

  @Override
  public boolean acceptAssociation(AssociationInfo a) {
    return true;
  }

  @Override
  public String negotiate(String abstractSyntaxUid, List<String> proposed) {
    return proposed.isEmpty() ? null : proposed.get(0);
  }

  @Override
  public DimseRequestHandler handlerFor(int commandField, String sopClassUid) {
    return switch (commandField) {
      case CommandSet.C_ECHO_RQ -> EchoHandler.INSTANCE;
      case CommandSet.C_STORE_RQ -> this::store;
      default -> null;
    };
  }

  @Override
  public void associationClosed(AssociationInfo a) {
    associations.incrementAndGet();
  }

  @Override
  public void close() {
    release.countDown();
    server.close();
  }
}
