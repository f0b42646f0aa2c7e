package dev.atrium.dimse.net;

import java.io.IOException;

/** The peer sent A-ABORT; nothing to answer, just close. */
final class PeerAbortedException extends IOException {
    private static final long serialVersionUID = 1L;
    PeerAbortedException(int source, int reason) {
        super("A-ABORT received, source " + source + " reason " + reason);
    }
}
