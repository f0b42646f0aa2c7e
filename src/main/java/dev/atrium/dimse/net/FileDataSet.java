package dev.atrium.dimse.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A data set that is a region of an open file, sent as it is: a stored instance in its stored transfer syntax. On a
 * plain TCP association its bytes go from the file to the socket without passing through the heap
 * ({@link FileRegionSender}); over TLS it is copied through {@code copyBuffer} as any other data set.
 *
 * @param copyBuffer a buffer the caller reuses, for the copy through the heap
 */
public record FileDataSet(FileChannel file, long position, long length, byte[] copyBuffer) implements DataSetWriter {
    @Override
    public void writeTo(OutputStream out) throws IOException {
        long at = position;
        long end = position + length;
        while (at < end) {
            int n = file.read(ByteBuffer.wrap(copyBuffer, 0, (int) Math.min(copyBuffer.length, end - at)), at);
            if (n < 0) throw shorter(end - at);
            out.write(copyBuffer, 0, n);
            at += n;
        }
    }

    /** The file ended {@code missing} bytes before the region did (it was cut short after it was opened). */
    static EOFException shorter(long missing) {
        return new EOFException("the stored file ended " + missing + " bytes before the end of its data set");
    }
}
