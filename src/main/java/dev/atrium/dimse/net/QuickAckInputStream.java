package dev.atrium.dimse.net;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import jdk.net.ExtendedSocketOptions;

/**
 * Re-arms TCP_QUICKACK before every socket read (Linux clears it after a while). Peers that leave Nagle on
 * (dcmtk without TCP_NODELAY=1, for one) otherwise hold back the small tail of each message until our delayed
 * ACK fires, ~40 ms per request. Where the option is unsupported this is a plain pass-through.
 */
final class QuickAckInputStream extends FilterInputStream {
    private final Socket socket;
    private boolean supported;

    QuickAckInputStream(Socket socket) throws IOException {
        super(socket.getInputStream());
        this.socket = socket;
        this.supported = socket.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
    }

    @Override
    public int read() throws IOException {
        arm();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        arm();
        return super.read(b, off, len);
    }

    private void arm() {
        if (!supported) return;
        try {
            socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
        } catch (IOException | UnsupportedOperationException e) {
            supported = false;
        }
    }
}
