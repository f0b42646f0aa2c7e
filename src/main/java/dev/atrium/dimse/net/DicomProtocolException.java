package dev.atrium.dimse.net;

import java.io.IOException;

/** The peer violated PS3.8; the association must be aborted with A-ABORT source 2 and {@link #abortReason}. */
final class DicomProtocolException extends IOException {
    private static final long serialVersionUID = 1L;
    // A-ABORT reasons when the source is the service provider (PS3.8 9.3.8)
    static final int REASON_NOT_SPECIFIED = 0;
    static final int REASON_UNRECOGNIZED_PDU = 1;
    static final int REASON_UNEXPECTED_PDU = 2;
    static final int REASON_INVALID_PARAMETER = 6;

    final int abortReason;

    DicomProtocolException(int abortReason, String message) {
        super(message);
        this.abortReason = abortReason;
    }
}
