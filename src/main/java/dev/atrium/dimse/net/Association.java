package dev.atrium.dimse.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted TCP connection, from A-ASSOCIATE-RQ to close: negotiation, then a loop of one DIMSE request at a
 * time (asynchronous operations window 1). While a request is handled, the handler may issue requests of its own
 * back on this association (C-GET's C-STORE sub-operations, PS3.4 C.4.3) on contexts whose SOP class the
 * requestor took in the SCP role. Runs on its own thread; not thread-safe otherwise.
 */
final class Association implements Runnable, DimseExchange {
    private static final Logger log = LoggerFactory.getLogger(Association.class);

    static final String IMPLEMENTATION_CLASS_UID = "1.2.826.0.1.3680043.10.1421.1";
    static final String IMPLEMENTATION_VERSION_NAME = "ATRIUM_01";

    /** Used to tell "abstract syntax unknown" (result 3) from "no acceptable transfer syntax" (result 4). */
    private static final List<String> PROBE_TRANSFER_SYNTAXES = List.of(
            "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99",
            "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70",
            "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91",
            "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202",
            "1.2.840.10008.1.2.4.203");

    /** @param ourRequests whether we may send requests on it: the requestor is SCP for its SOP class */
    private record Accepted(String abstractSyntax, String transferSyntax, boolean ourRequests) {}

    private record Command(int pcId, CommandSet command) {}

    private final long id;
    private final Socket socket;
    private final DimseServerSettings settings;
    private final DimseServiceRegistry services;
    private final boolean admitted; // false: over the association limit, reject after reading the RQ
    private final long startNanos = System.nanoTime();

    private PduReader reader;
    private OutputStream out;
    private DimseChannel channel;
    private AssociationInfo info;
    private final Map<Integer, Accepted> contexts = new HashMap<>();
    private int requests;
    private volatile boolean closing; // set by a server stop
    private final Object lifecycle = new Object();
    private boolean busy; // a request is being handled (guarded by lifecycle)

    // state of the request being handled
    private Command current;
    private PdvInputStream currentDataSet;
    private boolean finalSent, cancelled;
    // messages that arrived while peeking for C-CANCEL, consumed by the main loop afterwards
    private Command pendingCommand;
    private boolean pendingRelease;
    private IOException pendingFailure;

    Association(long id, Socket socket, DimseServerSettings settings, DimseServiceRegistry services, boolean admitted) {
        this.id = id;
        this.socket = socket;
        this.settings = settings;
        this.services = services;
        this.admitted = admitted;
    }

    @Override
    public void run() {
        String outcome = "peer closed connection";
        boolean accepted = false;
        PduWriter pdus = null;
        try {
            socket.setSoTimeout(settings.idleTimeoutMillis());
            reader = new PduReader(new BufferedInputStream(new QuickAckInputStream(socket), 64 * 1024),
                    settings.maxPduLength());
            out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            pdus = new PduWriter(out);
            AssociatePdu rq = AssociatePdu.parse(reader.readAssociateRequest());
            info = new AssociationInfo(id, rq.callingAeTitle(), rq.calledAeTitle(),
                    (InetSocketAddress) socket.getRemoteSocketAddress(), PeerCertificates.commonName(socket));
            String rejection = negotiate(rq, pdus);
            if (rejection != null) {
                outcome = "rejected (" + rejection + ")";
                return;
            }
            accepted = true;
            services.associationOpened(info);
            outcome = serve(pdus);
        } catch (DicomProtocolException e) {
            outcome = "aborted (protocol error)";
            log.warn("Association #{} from {}: protocol error, aborting: {}", id, remote(), e.getMessage());
            sendAbortQuietly(pdus, e.abortReason);
        } catch (PeerAbortedException e) {
            outcome = "aborted by peer";
        } catch (SocketTimeoutException e) {
            outcome = "aborted (idle timeout)";
            log.warn("Association #{} from {}: idle for {} ms, aborting", id, remote(), settings.idleTimeoutMillis());
            sendAbortQuietly(pdus, DicomProtocolException.REASON_NOT_SPECIFIED);
        } catch (SSLException e) {
            // A peer without TLS, or with a certificate we do not trust: one line and an audit record, no trace.
            outcome = "DICOM TLS handshake failed";
            log.warn("Association #{} from {}: DICOM TLS handshake failed: {}", id, remote(), e.getMessage());
            if (info == null) {
                services.associationRefused(new AssociationInfo(id, null, null,
                        (InetSocketAddress) socket.getRemoteSocketAddress(), null),
                        "DICOM TLS handshake failed: " + e.getMessage());
            }
        } catch (EOFException | SocketException e) {
            if (closing) {
                outcome = "aborted by server stop";
                sendAbortQuietly(pdus, DicomProtocolException.REASON_NOT_SPECIFIED); // its input was shut: see stop()
            } else {
                outcome = "peer closed connection";
            }
        } catch (Exception e) { // IOException from the transport or a bug; never let it escape the thread
            outcome = "aborted (" + e + ")";
            log.warn("Association #{} from {}: aborting after unexpected error", id, remote(), e);
            sendAbortQuietly(pdus, DicomProtocolException.REASON_NOT_SPECIFIED);
        } finally {
            closeSocket();
            if (accepted) {
                try {
                    services.associationClosed(info);
                } catch (RuntimeException e) {
                    log.warn("associationClosed hook failed for #{}", id, e);
                }
            }
            log.info("Association #{} from {} at {} ended: {}, {} requests, {} ms", id,
                    info == null ? "?" : info.callingAeTitle(), remote(), outcome, requests,
                    (System.nanoTime() - startNanos) / 1_000_000);
        }
    }

    /** Sends A-ASSOCIATE-AC or -RJ; returns null if accepted, else the rejection reason for the log. */
    private String negotiate(AssociatePdu rq, PduWriter pdus) throws IOException {
        // PS3.8 9.3.4 result/source/reason
        if ((rq.protocolVersion() & 1) == 0) {
            pdus.associateRj(1, 2, 2);
            return "protocol version " + rq.protocolVersion();
        }
        if (!PduType.DICOM_APPLICATION_CONTEXT.equals(rq.applicationContext())) {
            pdus.associateRj(1, 1, 2);
            return "application context " + rq.applicationContext();
        }
        if (!settings.aeTitle().equals(rq.calledAeTitle()) && !services.answersCalledAeTitle(rq.calledAeTitle())) {
            pdus.associateRj(1, 1, 7);
            services.associationRefused(info, "called AE title " + rq.calledAeTitle() + " not served here");
            return "called AE title " + rq.calledAeTitle();
        }
        if (!admitted) {
            pdus.associateRj(2, 3, 2);
            return "association limit " + settings.maxAssociations() + " reached";
        }
        if (!services.acceptAssociation(info)) {
            pdus.associateRj(1, 1, 3);
            return "calling AE title " + rq.callingAeTitle() + " not allowed";
        }
        // PS3.7 D.3.3.4: the SCU role is the default and accepted as proposed; the SCP role (we send requests,
        // as for C-GET) only where the registry serves it.
        List<AssociatePdu.RoleSelection> roles = new ArrayList<>();
        Set<String> requestorScp = new HashSet<>();
        for (AssociatePdu.RoleSelection r : rq.roleSelections()) {
            boolean scp = r.scpRole() == 1 && services.acceptRequestorScpRole(r.sopClassUid());
            if (scp) requestorScp.add(r.sopClassUid());
            roles.add(new AssociatePdu.RoleSelection(r.sopClassUid(), r.scuRole(), scp ? 1 : 0));
        }
        List<PduWriter.PresentationContextResult> results = new ArrayList<>();
        for (AssociatePdu.PresentationContext pc : rq.presentationContexts()) {
            String ts = pc.abstractSyntax() == null ? null : services.negotiate(pc.abstractSyntax(), pc.transferSyntaxes());
            if (ts != null && (pc.id() & 1) == 1) {
                boolean ourRequests = requestorScp.contains(pc.abstractSyntax());
                contexts.put(pc.id(), new Accepted(pc.abstractSyntax(), ts, ourRequests));
                results.add(new PduWriter.PresentationContextResult(pc.id(), PduWriter.PC_ACCEPTANCE, ts));
            } else {
                boolean knownAbstract = pc.abstractSyntax() != null
                        && services.negotiate(pc.abstractSyntax(), PROBE_TRANSFER_SYNTAXES) != null;
                results.add(new PduWriter.PresentationContextResult(pc.id(), knownAbstract
                        ? PduWriter.PC_TRANSFER_SYNTAXES_NOT_SUPPORTED : PduWriter.PC_ABSTRACT_SYNTAX_NOT_SUPPORTED,
                        "1.2.840.10008.1.2")); // TS sub-item is not significant when rejected, but must be present
            }
        }
        channel = new DimseChannel(reader, out, socket.getChannel(), rq.maxPduLength());
        pdus.associateAc(rq, results, roles, settings.maxPduLength(), IMPLEMENTATION_CLASS_UID,
                IMPLEMENTATION_VERSION_NAME);
        log.debug("Association {} accepted, {} of {} presentation contexts", info, contexts.size(),
                rq.presentationContexts().size());
        return null;
    }

    /** The DIMSE loop; returns how it ended. */
    private String serve(PduWriter pdus) throws IOException {
        while (true) {
            Command c = takeCommand();
            if (c == null) {
                pdus.releaseRp();
                return "released";
            }
            if (!begin()) { // the stop came while the request arrived: it is not started, so never answered
                sendAbortQuietly(pdus, DicomProtocolException.REASON_NOT_SPECIFIED);
                return "aborted by server stop";
            }
            boolean stopping;
            try {
                handle(c);
            } finally {
                stopping = end();
            }
            if (stopping) {
                sendAbortQuietly(pdus, DicomProtocolException.REASON_NOT_SPECIFIED);
                return "aborted by server stop, after its last request was answered";
            }
        }
    }

    /** Marks a request under way; false when the server is stopping and it must not start. */
    private boolean begin() {
        synchronized (lifecycle) {
            if (closing) return false;
            busy = true;
            return true;
        }
    }

    /** Marks the request done; true when the server is stopping and the association must end now. */
    private boolean end() {
        synchronized (lifecycle) {
            busy = false;
            return closing;
        }
    }

    private Command takeCommand() throws IOException {
        if (pendingFailure != null) throw pendingFailure;
        if (pendingCommand != null) {
            Command c = pendingCommand;
            pendingCommand = null;
            return c;
        }
        if (pendingRelease) return null;
        return readCommand();
    }

    /** The next command on an accepted context; null if A-RELEASE-RQ arrived instead. */
    private Command readCommand() throws IOException {
        DimseChannel.Command c = channel.readCommand(contexts::containsKey);
        return c == null ? null : new Command(c.pcId(), c.command());
    }

    private void handle(Command c) throws IOException {
        CommandSet rq = c.command();
        int field = rq.commandField();
        if (field == CommandSet.C_CANCEL_RQ) return; // late cancel for an operation already finished: ignore
        requests++;
        current = c;
        currentDataSet = rq.hasDataSet() ? channel.dataSet(c.pcId()) : null;
        finalSent = false;
        cancelled = false;
        try {
            if ((field & CommandSet.RESPONSE_BIT) != 0 || field < 0) {
                // a response to none of our requests (those are awaited inside the handler that sent them)
                log.warn("Association {}: ignoring unexpected command field 0x{}", info, Integer.toHexString(field));
                return;
            }
            String contextSyntax = contexts.get(c.pcId()).abstractSyntax();
            if (rq.sopClassUid() != null && !rq.sopClassUid().equals(contextSyntax)) {
                // PS3.7 C.5.5: a request names the SOP class its presentation context was negotiated for.
                CommandSet refusal = CommandSet.responseTo(rq, field | CommandSet.RESPONSE_BIT,
                        CommandSet.STATUS_SOP_CLASS_NOT_SUPPORTED);
                refusal.setLO(CommandSet.ERROR_COMMENT, "SOP Class " + rq.sopClassUid()
                        + " is not the abstract syntax of presentation context " + c.pcId());
                sendResponse(refusal, null);
                return;
            }
            DimseRequestHandler handler;
            try {
                handler = services.handlerFor(field, rq.sopClassUid());
                if (handler == null) {
                    sendResponse(CommandSet.responseTo(rq, field | CommandSet.RESPONSE_BIT,
                            CommandSet.STATUS_UNRECOGNIZED_OPERATION), null);
                    return;
                }
                handler.handle(this, rq, currentDataSet);
            } catch (Exception e) {
                // a broken transport is not the handler's fault: let the association end
                if (currentDataSet != null && currentDataSet.failure() != null) throw currentDataSet.failure();
                if (e instanceof SocketException || e instanceof DicomProtocolException
                        || e instanceof PeerAbortedException || e instanceof SocketTimeoutException) throw (IOException) e;
                if (channel.broken()) throw new DicomProtocolException(DicomProtocolException.REASON_NOT_SPECIFIED,
                        "a message was cut off: " + e);
                if (finalSent) {
                    log.warn("Association {}: handler failed after its final response", info, e);
                } else {
                    log.warn("Association {}: handler for command 0x{} failed: {}", info,
                            Integer.toHexString(field), e.toString());
                    sendFailure(rq, field, e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
                }
                return;
            }
            if (!finalSent) sendFailure(rq, field, "handler sent no final response");
        } finally {
            if (currentDataSet != null) currentDataSet.drain(); // keep the PDV stream in sync
            current = null;
            currentDataSet = null;
        }
    }

    private void sendFailure(CommandSet rq, int field, String comment) throws IOException {
        CommandSet rsp = CommandSet.responseTo(rq, field | CommandSet.RESPONSE_BIT, CommandSet.STATUS_PROCESSING_FAILURE);
        rsp.setLO(CommandSet.ERROR_COMMENT, comment);
        sendResponse(rsp, null);
    }

    // ---- DimseExchange --------------------------------------------------------------------------

    @Override
    public AssociationInfo association() { return info; }

    @Override
    public int presentationContextId() { return current.pcId(); }

    @Override
    public String transferSyntaxUid() { return contexts.get(current.pcId()).transferSyntax(); }

    @Override
    public String abstractSyntaxUid() { return contexts.get(current.pcId()).abstractSyntax(); }

    @Override
    public void sendResponse(CommandSet rsp, DataSetWriter dataSetOrNull) throws IOException {
        if (current == null) throw new IllegalStateException("no request being handled");
        if (finalSent) throw new IllegalStateException("final response already sent");
        if (currentDataSet != null) currentDataSet.drain(); // PS3.7 9.3: respond after the whole request
        channel.send(current.pcId(), rsp, dataSetOrNull);
        if (!rsp.isPending()) finalSent = true;
    }

    // ---- DimseRequestor: our requests back on this association, while a request is handled ------------

    @Override
    public List<AcceptedContext> requestContexts(String abstractSyntaxUid) {
        List<AcceptedContext> usable = new ArrayList<>();
        contexts.forEach((id, a) -> {
            if (a.ourRequests() && a.abstractSyntax().equals(abstractSyntaxUid))
                usable.add(new AcceptedContext(id, a.abstractSyntax(), a.transferSyntax()));
        });
        return usable;
    }

    @Override
    public int sendRequest(int presentationContextId, CommandSet request, DataSetWriter dataSetOrNull)
            throws IOException {
        if (current == null || finalSent) throw new IllegalStateException("requests go out only while handling one");
        Accepted context = contexts.get(presentationContextId);
        if (context == null || !context.ourRequests())
            throw new IllegalArgumentException("no context " + presentationContextId + " in which we are SCU");
        if (currentDataSet != null) currentDataSet.drain();
        return channel.sendRequest(presentationContextId, request, dataSetOrNull);
    }

    /**
     * Reads until the response to {@code messageId}; a C-CANCEL-RQ for the request being handled that arrives
     * meanwhile is noted for {@link #isCancelled()}. With window 1 the peer may send nothing else (PS3.7 D.3.3.3).
     */
    @Override
    public CommandSet awaitResponse(int messageId) throws IOException {
        if (current == null) throw new IllegalStateException("no request being handled");
        while (true) {
            if (pendingFailure != null) throw pendingFailure;
            if (pendingRelease) throw new DicomProtocolException(DicomProtocolException.REASON_UNEXPECTED_PDU,
                    "A-RELEASE-RQ while our request " + messageId + " awaited its response");
            Command c = pendingCommand != null ? pendingCommand : readCommand();
            pendingCommand = null;
            if (c == null) {
                pendingRelease = true;
                continue;
            }
            CommandSet command = c.command();
            if (command.commandField() == CommandSet.C_CANCEL_RQ) {
                if (command.messageIdBeingRespondedTo() == current.command().messageId()) cancelled = true;
                continue;
            }
            if ((command.commandField() & CommandSet.RESPONSE_BIT) == 0
                    || command.messageIdBeingRespondedTo() != messageId)
                throw new DicomProtocolException(DicomProtocolException.REASON_UNEXPECTED_PDU, "expected the response "
                        + "to our request " + messageId + ", got " + command);
            if (command.hasDataSet()) channel.dataSet(c.pcId()).drain();
            return command;
        }
    }

    /** Non-blocking peek (see {@link DimseExchange#isCancelled()}); other messages are parked for the main loop. */
    @Override
    public boolean isCancelled() {
        if (cancelled) return true;
        if (current == null || pendingCommand != null || pendingRelease || pendingFailure != null) return false;
        if (currentDataSet != null && !currentDataSet.fullyRead()) return false;
        try {
            while (pendingCommand == null && !pendingRelease && reader.atPdvBoundaryWithInput()) {
                Command c = readCommand();
                if (c == null) {
                    pendingRelease = true;
                } else if (c.command().commandField() == CommandSet.C_CANCEL_RQ) {
                    if (c.command().messageIdBeingRespondedTo() == current.command().messageId()) cancelled = true;
                } else {
                    pendingCommand = c;
                }
            }
        } catch (IOException e) {
            pendingFailure = e; // surfaces in the main loop; the handler just sees "cancelled"
            cancelled = true;
        }
        return cancelled;
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    long id() {
        return id;
    }

    /**
     * A server stop, from another thread. SCUs expect to release associations themselves, not to be asked to, so
     * the association is aborted, but never in the middle of a request. One handling a request ends after sending its
     * response ({@link #serve}); an idle one has its input shut, so that its own thread, blocked reading, sends the
     * A-ABORT (no two threads write to the socket). A TLS socket cannot shut its input alone: it is closed.
     */
    void stop() {
        synchronized (lifecycle) {
            closing = true;
            if (busy) return;
        }
        if (socket instanceof SSLSocket) {
            closeSocket();
            return;
        }
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            closeSocket();
        }
    }

    /** The end of a stop's grace period: closing the socket unblocks the association's thread wherever it is. */
    void shutdown() {
        closing = true;
        closeSocket();
    }

    private void sendAbortQuietly(PduWriter pdus, int reason) {
        if (pdus == null || socket.isClosed()) return;
        try {
            pdus.abort(2, reason);
        } catch (IOException ignored) {
            // peer is gone anyway
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }

    private Object remote() {
        return socket.getRemoteSocketAddress();
    }
}
