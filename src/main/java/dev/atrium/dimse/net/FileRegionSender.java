package dev.atrium.dimse.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Sends a {@link FileDataSet} as P-DATA-TF PDUs of one PDV each (PS3.8 9.3.5, annex E) straight to a plain TCP
 * socket: a chunk of the file is read into a direct buffer, and its PDVs, each header followed by its slice of the
 * chunk, go out in one gathering write. Unlike the stream path ({@link PDataOutputStream} through a buffered socket
 * stream), no byte passes through the heap. For 0.53 MB instances, the association thread used about a tenth less CPU
 * per instance in C-MOVEs to a storescp (0.28-0.33 ms against 0.31-0.36, three alternated runs) and a quarter less in
 * C-GETs by getscu (0.25-0.28 against 0.35-0.36, two). Its buffers are allocated on the first use, so an
 * association that sends no file pays nothing. Not thread-safe.
 */
final class FileRegionSender {
    private static final int HEADER = PDataOutputStream.HEADER;
    /** File bytes read and written per system call, at most (or one PDV, if that is larger). */
    private static final int CHUNK = 256 * 1024;

    private final SocketChannel socket;
    private final int fragment;
    private final int fragments;
    private ByteBuffer data;
    private ByteBuffer headers;
    private ByteBuffer[] iov; // header 0, data 0, header 1, data 1, ...: views of the two buffers

    /** @param fragment the data bytes of a full PDV: the peer's maximum PDU length less the PDV item's header */
    FileRegionSender(SocketChannel socket, int fragment) {
        this.socket = socket;
        this.fragment = fragment;
        this.fragments = Math.max(1, CHUNK / fragment);
    }

    /** Sends the region as the data set of the message whose command just went out on {@code pcId}. */
    void send(int pcId, FileDataSet region) throws IOException {
        if (data == null) allocate();
        long at = region.position();
        long left = region.length();
        do { // an empty data set still gets its one, last, PDV
            int chunk = (int) Math.min(left, data.capacity());
            readFully(region, at, chunk);
            int used = 0;
            int off = 0;
            do {
                int len = Math.min(fragment, chunk - off);
                boolean last = left - off - len == 0;
                header(used, pcId, len, last);
                ByteBuffer slice = iov[2 * used + 1];
                slice.clear();
                slice.limit(off + len).position(off);
                used++;
                off += len;
            } while (off < chunk);
            writeFully(2 * used, (long) used * HEADER + chunk);
            at += chunk;
            left -= chunk;
        } while (left > 0);
    }

    private void allocate() {
        data = ByteBuffer.allocateDirect(fragments * fragment);
        headers = ByteBuffer.allocateDirect(fragments * HEADER);
        iov = new ByteBuffer[2 * fragments];
        for (int i = 0; i < fragments; i++) {
            iov[2 * i] = headers.duplicate();
            iov[2 * i + 1] = data.duplicate();
        }
    }

    private void readFully(FileDataSet region, long at, int chunk) throws IOException {
        data.clear().limit(chunk);
        while (data.hasRemaining()) {
            if (region.file().read(data, at + data.position()) < 0) {
                throw FileDataSet.shorter(region.position() + region.length() - at - data.position());
            }
        }
    }

    /** The header of PDV {@code index} of this chunk, in {@code headers}, and its view in {@code iov}. */
    private void header(int index, int pcId, int length, boolean last) {
        int at = index * HEADER;
        PDataOutputStream.putHeader(headers, at, pcId, length, false, last);
        ByteBuffer view = iov[2 * index];
        view.clear();
        view.limit(at + HEADER).position(at);
    }

    private void writeFully(int buffers, long bytes) throws IOException {
        while (bytes > 0) bytes -= socket.write(iov, 0, buffers);
    }
}
