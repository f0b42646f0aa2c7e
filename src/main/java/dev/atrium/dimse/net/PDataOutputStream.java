package dev.atrium.dimse.net;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Fragments one message part (command or data set) into P-DATA-TF PDUs with one PDV each (PS3.8 9.3.5, annex E).
 * A full buffer is only sent once more bytes arrive, so the fragment flagged "last" is never empty.
 * {@link #finish()} sends the last fragment; it does not close or flush the underlying stream.
 */
final class PDataOutputStream extends OutputStream {
    /** Bytes of a PDU's header and its one PDV item's header, before the data. */
    static final int HEADER = 12;

    private final OutputStream out;
    private final int pcId;
    private final boolean command;
    private final byte[] buf;
    private final byte[] header = new byte[HEADER];
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
        putHeader(ByteBuffer.wrap(header), 0, pcId, count, command, last);
        out.write(header);
        out.write(buf, 0, count);
        count = 0;
    }

    /**
     * The {@link #HEADER} bytes that precede a PDV's data in a P-DATA-TF PDU of that one PDV (PS3.8 9.3.5, E.2), at
     * {@code at} in {@code to}: PDU type, reserved, PDU length, PDV item length, context id, message control header.
     */
    static void putHeader(ByteBuffer to, int at, int pcId, int dataLength, boolean command, boolean last) {
        int pdvLength = dataLength + 2;
        to.put(at, (byte) PduType.P_DATA_TF).put(at + 1, (byte) 0)
                .putInt(at + 2, pdvLength + 4) // big endian, as every PDU field (PS3.8 9.3.1)
                .putInt(at + 6, pdvLength)
                .put(at + 10, (byte) pcId)
                .put(at + 11, (byte) ((command ? 1 : 0) | (last ? 2 : 0))); // bit 0 command, bit 1 last fragment
    }
}
