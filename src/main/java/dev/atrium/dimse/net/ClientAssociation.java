package dev.atrium.dimse.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An association we request (PS3.8 9.2, association-requestor side): connect, A-ASSOCIATE-RQ, then requests and
 * their responses one at a time, then A-RELEASE (or A-ABORT). Used for C-MOVE sub-operations (PS3.4 C.4.2).
 * Not thread-safe.
 */
public final class ClientAssociation implements DimseRequestor, AutoCloseable {
    /** PS3.8 9.3.2.2: presentation context ids are odd numbers 1..255. */
    public static final int MAX_PRESENTATION_CONTEXTS = 128;

    /**
     * @param maxPduLength        the largest P-DATA-TF PDU we accept (PS3.8 D.1)
     * @param connectTimeoutMillis TCP connect timeout; {@code readTimeoutMillis} bounds every wait for the peer
     */
    public record Settings(String callingAeTitle, String calledAeTitle, String host, int port, int maxPduLength,
                           int connectTimeoutMillis, int readTimeoutMillis) {}

    /** A presentation context to propose: one abstract syntax, the transfer syntaxes in order of preference. */
    public record ProposedContext(String abstractSyntax, List<String> transferSyntaxes, boolean requestorScp) {
        /** Requestor in the default role, SCU (PS3.7 D.3.3.4). */
        public ProposedContext(String abstractSyntax, List<String> transferSyntaxes) {
            this(abstractSyntax, transferSyntaxes, false);
        }
    }

    private final Socket socket;
    private final PduWriter pdus;
    private final DimseChannel channel;
    private final Map<Integer, AcceptedContext> accepted;
    private boolean ended;

    private ClientAssociation(Socket socket, PduWriter pdus, DimseChannel channel,
                              Map<Integer, AcceptedContext> accepted) {
        this.socket = socket;
        this.pdus = pdus;
        this.channel = channel;
        this.accepted = accepted;
    }

    /**
     * Connects and negotiates. Throws {@link AssociationRejectedException} when the peer rejects the association,
     * another IOException when it cannot be reached or breaks the protocol.
     */
    public static ClientAssociation open(Settings settings, List<ProposedContext> proposals) throws IOException {
        if (proposals.isEmpty() || proposals.size() > MAX_PRESENTATION_CONTEXTS)
            throw new IllegalArgumentException(proposals.size() + " presentation contexts (1 to 128 allowed)");
        List<AssociatePdu.PresentationContext> pcs = new ArrayList<>();
        List<AssociatePdu.RoleSelection> roles = new ArrayList<>();
        for (int i = 0; i < proposals.size(); i++) {
            ProposedContext p = proposals.get(i);
            pcs.add(new AssociatePdu.PresentationContext(2 * i + 1, p.abstractSyntax(), p.transferSyntaxes(), 0));
            // PS3.7 D.3.3.4: the SCP role only, as the SCP of Storage Commitment that reports on its own association
            if (p.requestorScp()) roles.add(new AssociatePdu.RoleSelection(p.abstractSyntax(), 0, 1));
        }
        // Opened as a channel, so that stored files can be sent to it without copying them through the heap
        Socket socket = SocketChannel.open().socket();
        try {
            socket.setTcpNoDelay(true); // every message ends in a small PDU: never wait for a delayed ACK
            socket.connect(new InetSocketAddress(settings.host(), settings.port()), settings.connectTimeoutMillis());
            socket.setSoTimeout(settings.readTimeoutMillis());
            PduReader reader = new PduReader(new BufferedInputStream(new QuickAckInputStream(socket), 64 * 1024),
                    settings.maxPduLength());
            BufferedOutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            PduWriter pdus = new PduWriter(out);
            pdus.associateRq(settings.calledAeTitle(), settings.callingAeTitle(), pcs, roles, settings.maxPduLength(),
                    Association.IMPLEMENTATION_CLASS_UID, Association.IMPLEMENTATION_VERSION_NAME);
            AssociatePdu ac = AssociatePdu.parse(reader.readAssociateAccept());
            Map<Integer, AcceptedContext> accepted = new HashMap<>();
            for (AssociatePdu.PresentationContext answer : ac.presentationContexts()) {
                int index = (answer.id() - 1) / 2;
                if (answer.result() != 0 || (answer.id() & 1) == 0 || index >= pcs.size()
                        || answer.transferSyntaxes().size() != 1) continue;
                String ts = answer.transferSyntaxes().get(0);
                AssociatePdu.PresentationContext proposed = pcs.get(index);
                if (!proposed.transferSyntaxes().contains(ts)) continue; // PS3.8 9.3.3.2: must be one we proposed
                accepted.put(answer.id(), new AcceptedContext(answer.id(), proposed.abstractSyntax(), ts));
            }
            DimseChannel channel = new DimseChannel(reader, out, socket.getChannel(), ac.maxPduLength());
            return new ClientAssociation(socket, pdus, channel, accepted);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Every accepted context, whatever its SOP class. */
    public List<AcceptedContext> acceptedContexts() {
        return List.copyOf(accepted.values());
    }

    @Override
    public List<AcceptedContext> requestContexts(String abstractSyntaxUid) {
        return accepted.values().stream().filter(c -> c.abstractSyntax().equals(abstractSyntaxUid)).toList();
    }

    @Override
    public int sendRequest(int presentationContextId, CommandSet request, DataSetWriter dataSetOrNull)
            throws IOException {
        if (!accepted.containsKey(presentationContextId))
            throw new IllegalArgumentException("presentation context " + presentationContextId + " was not accepted");
        requireOpen();
        return channel.sendRequest(presentationContextId, request, dataSetOrNull);
    }

    /** The acceptor may send nothing but responses to us (it is SCP on every context we proposed). */
    @Override
    public CommandSet awaitResponse(int messageId) throws IOException {
        requireOpen();
        DimseChannel.Command c = channel.readCommand(accepted::containsKey);
        if (c == null) throw new DicomProtocolException(DicomProtocolException.REASON_UNEXPECTED_PDU,
                "A-RELEASE-RQ from the association acceptor");
        CommandSet command = c.command();
        if ((command.commandField() & CommandSet.RESPONSE_BIT) == 0 || command.messageIdBeingRespondedTo() != messageId)
            throw new DicomProtocolException(DicomProtocolException.REASON_UNEXPECTED_PDU,
                    "expected the response to our request " + messageId + ", got " + command);
        if (command.hasDataSet()) channel.dataSet(c.pcId()).drain();
        return command;
    }

    /** Orderly end (PS3.8 7.2): A-RELEASE-RQ, then waits for A-RELEASE-RP; closes the connection either way. */
    public void release() throws IOException {
        if (ended) return;
        ended = true;
        try {
            if (channel.broken()) throw new IOException("association unusable: a message was cut off");
            pdus.releaseRq();
            while (true) {
                int next = channel.reader().nextPdv();
                if (next == PduReader.RELEASE_RP || next == PduReader.RELEASE_RQ) return; // RQ: a release collision
                channel.reader().skipData(); // a late message: nothing is waiting for it any more
            }
        } finally {
            socket.close();
        }
    }

    /** A-ABORT (source: service user, PS3.8 9.3.8) and close; quiet, for failure paths. */
    public void abort() {
        if (ended) return;
        ended = true;
        try {
            pdus.abort(0, 0);
        } catch (IOException ignored) {
            // the peer is gone or going
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Aborts unless {@link #release()} already ended the association. */
    @Override
    public void close() {
        abort();
    }

    private void requireOpen() throws IOException {
        if (ended) throw new IOException("association already ended");
    }

    @Override
    public String toString() {
        return "association to " + socket.getRemoteSocketAddress();
    }
}
