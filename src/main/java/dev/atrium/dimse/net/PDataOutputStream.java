package dev.atrium.dimse.net;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Fragments one message part (command or data set) into P-DATA-TF PDUs with one PDV each (PS3.8 9.3.5, annex E).
 * A full buffer is only sent once more bytes arrive, so the fragment flagged "last" is never empty.
 * {@link #finish()} sends the last fragment; it does not close or flush the underlying stream.
 */
final class PDataOutputStream extends OutputStream {
    private final OutputStream out;
    private final int pcId;
    private final boolean command;
    private final byte[] buf;
    private int count;
    private boolean finished;

    /** @param buf reusable fragment buffer; its length is the PDV data size (peer's max PDU length - 6) */
    PDataOutputStream(OutputStream out, int pcId, boolean command, byte[] buf) {
        this.out = out;
        this.pcId = pcId;
        this.command = command;
        this.buf = buf;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buf.length) emit(false);
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished) throw new IOException("message part already finished");
        while (len > 0) {
            if (count == buf.length) emit(false);
            int n = Math.min(len, buf.length - count);
            System.arraycopy(b, off, buf, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    /** Sends the remaining bytes as the last fragment. */
    void finish() throws IOException {
        if (finished) return;
        emit(true);
        finished = true;
    }

    /** Closing a data set stream handed to a {@link DataSetWriter} must not close the socket; finish() does the job. */
    @Override
    public void close() {}

    private void emit(boolean last) throws IOException {
        int pdvLength = count + 2;
        int pduLength = pdvLength + 4;
        byte[] h = {
                PduType.P_DATA_TF, 0,
                (byte) (pduLength >>> 24), (byte) (pduLength >>> 16), (byte) (pduLength >>> 8), (byte) pduLength,
                (byte) (pdvLength >>> 24), (byte) (pdvLength >>> 16), (byte) (pdvLength >>> 8), (byte) pdvLength,
                (byte) pcId,
                // message control header: bit 0 = command, bit 1 = last fragment (PS3.8 E.2)
                (byte) ((command ? 1 : 0) | (last ? 2 : 0))};
        out.write(h);
        out.write(buf, 0, count);
        count = 0;
    }
}
