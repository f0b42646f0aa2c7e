package dev.atrium.dimse.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.util.function.IntPredicate;

/**
 * The messages of one association in both directions, whichever side opened it: commands reassembled from PDVs,
 * and commands with their data sets fragmented into P-DATA-TF PDUs (PS3.8 9.3.5, annex E). Not thread-safe.
 */
final class DimseChannel {
    /** Larger PDUs gain nothing on TCP; this also bounds the fragment buffer of each association. */
    private static final int MAX_SEND_PDU = 1 << 18;

    record Command(int pcId, CommandSet command) {}

    private final PduReader reader;
    private final OutputStream out;
    private final byte[] fragmentBuffer;
    /** Where a {@link FileDataSet} goes straight from its file to the socket; null over TLS (the socket has no channel). */
    private final FileRegionSender fileSender;
    private boolean broken;
    private int lastMessageId; // of our own requests

    /**
     * @param out the socket's stream, buffered
     * @param socketOrNull the channel of the socket {@code out} writes to, when it has one (a plain TCP socket opened
     *     as a channel), for sending file data sets without copying them through the heap
     * @param peerMaxPduLength the peer's maximum PDU length (PS3.8 D.1; 0 = unlimited); we never send larger
     */
    DimseChannel(PduReader reader, OutputStream out, SocketChannel socketOrNull, long peerMaxPduLength) {
        this.reader = reader;
        this.out = out;
        long sendMax = peerMaxPduLength == 0 ? MAX_SEND_PDU : Math.min(peerMaxPduLength, MAX_SEND_PDU);
        this.fragmentBuffer = new byte[(int) Math.max(sendMax - 6, 1)]; // 6 = PDV item header in the PDU
        this.fileSender = socketOrNull == null ? null : new FileRegionSender(socketOrNull, fragmentBuffer.length);
    }

    PduReader reader() {
        return reader;
    }

    /**
     * Reassembles one command from command PDVs (PS3.8 E.2); null if A-RELEASE-RQ arrived instead.
     * @param acceptedContext whether a presentation context id was accepted on this association
     */
    Command readCommand(IntPredicate acceptedContext) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        byte[] chunk = new byte[1024];
        int pcId = -1;
        while (true) {
            int pdu = reader.nextPdv();
            if (pdu != PduReader.PDV) {
                if (pdu == PduReader.RELEASE_RQ && pcId == -1) return null;
                String what = pdu == PduReader.RELEASE_RQ ? "A-RELEASE-RQ" : "A-RELEASE-RP";
                throw new DicomProtocolException(DicomProtocolException.REASON_UNEXPECTED_PDU,
                        what + " where a command was expected");
            }
            if (!reader.pdvCommand())
                throw new DicomProtocolException(DicomProtocolException.REASON_UNEXPECTED_PDU,
                        "data set PDV where a command was expected");
            if (pcId == -1) {
                pcId = reader.pdvPcId();
                if (!acceptedContext.test(pcId))
                    throw new DicomProtocolException(DicomProtocolException.REASON_INVALID_PARAMETER,
                            "PDV on presentation context " + pcId + " which was not accepted");
            } else if (pcId != reader.pdvPcId()) {
                throw new DicomProtocolException(DicomProtocolException.REASON_INVALID_PARAMETER,
                        "command fragments on different presentation contexts");
            }
            if (bytes.size() + reader.pdvRemaining() > CommandSet.MAX_ENCODED_LENGTH)
                throw new DicomProtocolException(DicomProtocolException.REASON_INVALID_PARAMETER, "command too long");
            int n;
            while ((n = reader.readData(chunk, 0, chunk.length)) > 0) bytes.write(chunk, 0, n);
            if (reader.pdvLast()) break;
        }
        try {
            return new Command(pcId, CommandSet.decode(bytes.toByteArray()));
        } catch (IllegalArgumentException e) {
            throw new DicomProtocolException(DicomProtocolException.REASON_INVALID_PARAMETER,
                    "malformed command: " + e.getMessage());
        }
    }

    /** The data set that follows a command just read on {@code pcId}, streamed off the socket. */
    PdvInputStream dataSet(int pcId) {
        return new PdvInputStream(reader, pcId);
    }

    /**
     * Sends a command and its data set, then flushes. Command Data Set Type is set from {@code dataSetOrNull}.
     * A failure once the message is under way (the socket, or the data set's source) leaves the peer with half a
     * message: the association can then only be aborted, which {@link #broken()} tells.
     */
    void send(int pcId, CommandSet command, DataSetWriter dataSetOrNull) throws IOException {
        if (broken) throw new IOException("association unusable: an earlier message was cut off");
        command.setUS(CommandSet.COMMAND_DATA_SET_TYPE, dataSetOrNull == null ? CommandSet.NO_DATA_SET
                : CommandSet.DATA_SET_PRESENT);
        broken = true;
        PDataOutputStream cmd = new PDataOutputStream(out, pcId, true, fragmentBuffer);
        cmd.write(command.encode());
        cmd.finish();
        if (dataSetOrNull instanceof FileDataSet file && fileSender != null) {
            out.flush(); // the command first
            fileSender.send(pcId, file);
        } else if (dataSetOrNull != null) {
            PDataOutputStream data = new PDataOutputStream(out, pcId, false, fragmentBuffer);
            dataSetOrNull.writeTo(data);
            data.finish();
        }
        out.flush();
        broken = false;
    }

    /**
     * Sends a request of ours, numbered: Message IDs are unique among ours (PS3.7 9.1.1.1), 1 to 65535 then again.
     */
    int sendRequest(int pcId, CommandSet request, DataSetWriter dataSetOrNull) throws IOException {
        lastMessageId = lastMessageId % 0xFFFF + 1;
        send(pcId, request.setUS(CommandSet.MESSAGE_ID, lastMessageId), dataSetOrNull);
        return lastMessageId;
    }

    boolean broken() {
        return broken;
    }
}
