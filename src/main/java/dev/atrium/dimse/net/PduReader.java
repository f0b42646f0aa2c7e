package dev.atrium.dimse.net;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads PDUs and walks P-DATA-TF PDUs one PDV at a time without buffering them (PS3.8 9.3.1, 9.3.5).
 * All lengths from the peer are bounded before use: a liar gets a {@link DicomProtocolException}.
 */
final class PduReader {
    /** Return values of {@link #nextPdv()}. */
    static final int PDV = 0, RELEASE_RQ = PduType.RELEASE_RQ, RELEASE_RP = PduType.RELEASE_RP;

    /** Generous bound for A-ASSOCIATE-RQ: 128 contexts with many transfer syntaxes fit easily. */
    private static final int MAX_ASSOCIATE_RQ_LENGTH = 1 << 20;
    /** Tolerance for peers that count the PDU header into the maximum; we stream PDVs, so it costs nothing. */
    private static final int LENGTH_SLACK = 64;

    private final DataInputStream in;
    private final long maxPduLength;

    private long pduRemaining; // unread bytes of the current P-DATA-TF PDU
    private long pdvRemaining; // unread data bytes of the current PDV
    private int pdvPcId;
    private boolean pdvCommand, pdvLast;

    PduReader(InputStream in, int maxPduLength) {
        this.in = new DataInputStream(in);
        this.maxPduLength = maxPduLength;
    }

    /** The first PDU must be A-ASSOCIATE-RQ (PS3.8 9.2 state Sta2); returns its body. */
    byte[] readAssociateRequest() throws IOException {
        int type = in.read();
        if (type < 0) throw new EOFException("connection closed before A-ASSOCIATE-RQ");
        in.readUnsignedByte();
        long length = in.readInt() & 0xFFFF_FFFFL;
        if (type != PduType.ASSOCIATE_RQ)
            throw new DicomProtocolException(type <= PduType.ABORT ? DicomProtocolException.REASON_UNEXPECTED_PDU
                    : DicomProtocolException.REASON_UNRECOGNIZED_PDU, "expected A-ASSOCIATE-RQ, got PDU type " + type);
        return associateBody("A-ASSOCIATE-RQ", length);
    }

    /**
     * The answer to our A-ASSOCIATE-RQ (PS3.8 9.2 state Sta5): the A-ASSOCIATE-AC's body.
     * @throws AssociationRejectedException on A-ASSOCIATE-RJ
     * @throws PeerAbortedException on A-ABORT
     */
    byte[] readAssociateAccept() throws IOException {
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        long length = in.readInt() & 0xFFFF_FFFFL;
        switch (type) {
            case PduType.ASSOCIATE_AC -> {
                return associateBody("A-ASSOCIATE-AC", length);
            }
            case PduType.ASSOCIATE_RJ -> {
                if (length != 4) throw new DicomProtocolException(DicomProtocolException.REASON_INVALID_PARAMETER,
                        "A-ASSOCIATE-RJ length " + length);
                in.readUnsignedByte();
                int result = in.readUnsignedByte(), source = in.readUnsignedByte(), reason = in.readUnsignedByte();
                throw new AssociationRejectedException(result, source, reason);
            }
            case PduType.ABORT -> throw abort(length);
            default -> throw new DicomProtocolException(type <= PduType.ABORT
                    ? DicomProtocolException.REASON_UNEXPECTED_PDU : DicomProtocolException.REASON_UNRECOGNIZED_PDU,
                    "expected A-ASSOCIATE-AC, got PDU type " + type);
        }
    }

    private byte[] associateBody(String what, long length) throws IOException {
        if (length < 68 || length > MAX_ASSOCIATE_RQ_LENGTH)
            throw new DicomProtocolException(DicomProtocolException.REASON_INVALID_PARAMETER, what + " length " + length);
        byte[] body = new byte[(int) length];
        in.readFully(body);
        return body;
    }

    /** True if the reader sits between PDVs and bytes are waiting (a cheap, non-blocking "is a message coming?"). */
    boolean atPdvBoundaryWithInput() throws IOException {
        return pdvRemaining == 0 && in.available() > 0;
    }

    /**
     * Advances to the next PDV, reading a new PDU header if the current P-DATA-TF is exhausted.
     * @return {@link #PDV}, or {@link #RELEASE_RQ} / {@link #RELEASE_RP} if an A-RELEASE-RQ / -RP arrived instead
     * @throws PeerAbortedException on A-ABORT
     */
    int nextPdv() throws IOException {
        if (pdvRemaining != 0) throw new IllegalStateException("previous PDV not consumed");
        while (pduRemaining == 0) {
            int type = in.readUnsignedByte();
            in.readUnsignedByte();
            long length = in.readInt() & 0xFFFF_FFFFL;
            switch (type) {
                case PduType.P_DATA_TF -> {
                    if (length > maxPduLength + LENGTH_SLACK)
                        throw new DicomProtocolException(DicomProtocolException.REASON_INVALID_PARAMETER,
                                "P-DATA-TF length " + length + " exceeds our maximum " + maxPduLength);
                    pduRemaining = length;
                }
                case PduType.RELEASE_RQ -> {
                    skipBody(length);
                    return RELEASE_RQ;
                }
                case PduType.RELEASE_RP -> {
                    skipBody(length);
                    return RELEASE_RP;
                }
                case PduType.ABORT -> throw abort(length);
                case PduType.ASSOCIATE_RQ, PduType.ASSOCIATE_AC, PduType.ASSOCIATE_RJ ->
                        throw new DicomProtocolException(DicomProtocolException.REASON_UNEXPECTED_PDU,
                                "unexpected PDU type " + type + " in data transfer");
                default -> throw new DicomProtocolException(DicomProtocolException.REASON_UNRECOGNIZED_PDU,
                        "unrecognized PDU type " + type);
            }
        }
        if (pduRemaining < 6)
            throw new DicomProtocolException(DicomProtocolException.REASON_INVALID_PARAMETER, "truncated PDV item");
        long itemLength = in.readInt() & 0xFFFF_FFFFL;
        if (itemLength < 2 || itemLength > pduRemaining - 4)
            throw new DicomProtocolException(DicomProtocolException.REASON_INVALID_PARAMETER,
                    "PDV length " + itemLength + " inconsistent with P-DATA-TF length");
        pdvPcId = in.readUnsignedByte();
        int header = in.readUnsignedByte();
        pdvCommand = (header & 1) != 0;
        pdvLast = (header & 2) != 0;
        pduRemaining -= 4 + itemLength;
        pdvRemaining = itemLength - 2;
        return PDV;
    }

    /** Reads up to {@code len} bytes of the current PDV; returns 0 when the PDV is exhausted. */
    int readData(byte[] b, int off, int len) throws IOException {
        int n = (int) Math.min(len, pdvRemaining);
        if (n == 0) return 0;
        n = in.read(b, off, n);
        if (n < 0) throw new EOFException("connection closed inside a PDV");
        pdvRemaining -= n;
        return n;
    }

    /** Discards the rest of the current PDV. */
    void skipData() throws IOException {
        while (pdvRemaining > 0) {
            int n = in.skipBytes((int) Math.min(pdvRemaining, Integer.MAX_VALUE));
            if (n <= 0) {
                if (in.read() < 0) throw new EOFException("connection closed inside a PDV");
                n = 1;
            }
            pdvRemaining -= n;
        }
    }

    long pdvRemaining() { return pdvRemaining; }

    int pdvPcId() { return pdvPcId; }

    boolean pdvCommand() { return pdvCommand; }

    boolean pdvLast() { return pdvLast; }

    /** Reads the rest of an A-ABORT PDU (PS3.8 9.3.8) into the exception that reports it. */
    private IOException abort(long length) throws IOException {
        if (length != 4) return new DicomProtocolException(DicomProtocolException.REASON_INVALID_PARAMETER,
                "A-ABORT length " + length);
        in.readUnsignedShort();
        return new PeerAbortedException(in.readUnsignedByte(), in.readUnsignedByte());
    }

    private void skipBody(long length) throws IOException {
        if (length > 1024) throw new DicomProtocolException(DicomProtocolException.REASON_INVALID_PARAMETER,
                "PDU length " + length);
        in.readFully(new byte[(int) length]);
    }
}
