package dev.atrium.dimse.net;

import java.io.IOException;
import java.io.InputStream;

/**
 * The data set of one request, read straight off the socket PDV by PDV until the last-fragment bit
 * (PS3.8 E.2). Holds no buffer of its own. Remembers a transport failure so the layer can tell a broken
 * association apart from a handler that merely failed.
 */
final class PdvInputStream extends InputStream {
    private final PduReader reader;
    private final int pcId;
    private boolean lastSeen, eof;
    private IOException failure;

    /** Must be created right after the last command PDV was consumed. */
    PdvInputStream(PduReader reader, int pcId) {
        this.reader = reader;
        this.pcId = pcId;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) throw failure;
        if (eof) return -1;
        if (len == 0) return 0;
        try {
            while (reader.pdvRemaining() == 0) {
                if (lastSeen) {
                    eof = true;
                    return -1;
                }
                if (reader.nextPdv() != PduReader.PDV)
                    throw new DicomProtocolException(DicomProtocolException.REASON_UNEXPECTED_PDU,
                            "A-RELEASE PDU in the middle of a data set");
                if (reader.pdvCommand() || reader.pdvPcId() != pcId)
                    throw new DicomProtocolException(DicomProtocolException.REASON_UNEXPECTED_PDU,
                            "expected data set PDV for context " + pcId + ", got " + (reader.pdvCommand()
                                    ? "command" : "data") + " PDV for context " + reader.pdvPcId());
                lastSeen = reader.pdvLast();
            }
            return reader.readData(b, off, len);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public int available() {
        return (int) Math.min(reader.pdvRemaining(), Integer.MAX_VALUE);
    }

    /** Reads and discards the rest of the data set. */
    void drain() throws IOException {
        if (fullyRead()) return;
        byte[] scratch = new byte[8192];
        while (read(scratch, 0, scratch.length) >= 0) {
            // discard
        }
    }

    boolean fullyRead() { return eof || (lastSeen && reader.pdvRemaining() == 0); }

    IOException failure() { return failure; }

    /** Handlers may close the stream; the association's socket must stay open, the layer drains later. */
    @Override
    public void close() {}
}
