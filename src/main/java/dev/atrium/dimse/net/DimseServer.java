package dev.atrium.dimse.net;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DICOM upper layer acceptor (PS3.8) serving DIMSE requests (PS3.7) through a {@link DimseServiceRegistry}.
 * One platform thread per association. Connections beyond {@code maxAssociations} get an A-ASSOCIATE-RJ
 * (transient, local limit exceeded); a small extra budget of threads is reserved to send those rejections,
 * beyond which connections are simply closed.
 */
public final class DimseServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DimseServer.class);
    private static final int REJECTION_THREADS = 4;

    private final DimseServerSettings settings;
    private final DimseServiceRegistry services;
    private final Semaphore slots;
    private final Semaphore rejectionSlots = new Semaphore(REJECTION_THREADS);
    private final Set<Association> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private ExecutorService executor;
    private ServerSocket serverSocket;
    private volatile boolean closed;
    private long stopDeadline; // System.nanoTime() by which a stop closes what is still busy

    /** As long as the HTTP server lets requests under way finish at a stop. */
    private static final long STOP_GRACE_NANOS = 20_000_000_000L;

    private final SSLContext tls;
    private final SSLParameters tlsParameters;

    public DimseServer(DimseServerSettings settings, DimseServiceRegistry services) {
        this(settings, services, null, null);
    }

    /**
     * A DICOM TLS acceptor (PS3.15 B.1) when {@code tls} is not null: the handshake runs on the association's
     * own thread at its first read, so a slow or failing handshake never stalls the acceptor.
     */
    public DimseServer(DimseServerSettings settings, DimseServiceRegistry services, SSLContext tls,
                       SSLParameters tlsParameters) {
        this.settings = settings;
        this.services = services;
        this.slots = new Semaphore(settings.maxAssociations());
        this.tls = tls;
        this.tlsParameters = tlsParameters;
    }

    /** Binds and starts accepting in a daemon thread. */
    public synchronized void start() throws IOException {
        if (serverSocket != null) throw new IllegalStateException("already started");
        ServerSocket ss;
        if (tls == null) {
            // A channel's, so that accepted sockets have channels too: C-GET sends stored files on them without
            // copying through the heap (FileRegionSender)
            ss = ServerSocketChannel.open().socket();
        } else {
            SSLServerSocket secure = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
            secure.setSSLParameters(tlsParameters);
            ss = secure;
        }
        ss.setReuseAddress(true);
        InetAddress bind = settings.bindAddress() == null ? null : InetAddress.getByName(settings.bindAddress());
        try {
            ss.bind(new InetSocketAddress(bind, settings.port()), 128);
        } catch (BindException e) {
            ss.close();
            throw new BindException("DIMSE port " + settings.port() + (bind == null ? "" : " on " + bind.getHostAddress())
                    + ": " + e.getMessage());
        }
        serverSocket = ss;
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dimse-" + settings.aeTitle() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread acceptor = new Thread(this::acceptLoop, "dimse-accept-" + settings.aeTitle());
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("DICOM SCP {} listening on {}{}", settings.aeTitle(), ss.getLocalSocketAddress(),
                tls == null ? "" : " (TLS)");
    }

    /** The bound port (useful with port 0). */
    public int port() {
        if (serverSocket == null) throw new IllegalStateException("not started");
        return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) log.warn("accept failed on {}: {}", settings.aeTitle(), e.toString());
                if (serverSocket.isClosed()) return;
                continue;
            }
            try {
                s.setTcpNoDelay(true); // responses are small; Nagle + delayed ACK would cost ~40 ms each
                boolean admitted = slots.tryAcquire();
                if (!admitted && !rejectionSlots.tryAcquire()) {
                    log.warn("connection from {} dropped: association and rejection limits reached",
                            s.getRemoteSocketAddress());
                    s.close();
                    continue;
                }
                Semaphore held = admitted ? slots : rejectionSlots;
                Association a = new Association(ids.incrementAndGet(), s, settings, services, admitted);
                live.add(a);
                if (closed) a.stop(); // accepted just as the stop began, which signalled the others
                executor.execute(() -> {
                    try {
                        a.run();
                    } finally {
                        live.remove(a);
                        held.release();
                    }
                });
            } catch (Exception e) { // e.g. executor rejected after close()
                log.warn("could not start association for {}: {}", s.getRemoteSocketAddress(), e.toString());
                try {
                    s.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    /**
     * Begins a stop: no new association is accepted; an idle one is aborted at once, and one handling a request
     * is aborted once its response is out (a C-STORE being received is stored and answered, not cut off).
     */
    public synchronized void stopAccepting() {
        if (closed) return;
        closed = true;
        stopDeadline = System.nanoTime() + STOP_GRACE_NANOS;
        try {
            if (serverSocket != null) serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Association a : live) a.stop();
    }

    /**
     * Stops: waits, up to {@link #STOP_GRACE_NANOS} from the beginning of the stop, for the requests under way,
     * then closes the sockets of associations still busy (their threads then end on their own).
     */
    @Override
    public void close() {
        stopAccepting();
        try {
            while (!live.isEmpty() && System.nanoTime() - stopDeadline < 0) Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Association a : live) {
            log.warn("Association #{}: still busy {} s into the stop; closing it", a.id(), STOP_GRACE_NANOS / 1_000_000_000L);
            a.shutdown();
        }
        if (executor != null) executor.shutdown();
    }
}
