package dev.atrium.dimse.net;

import java.io.IOException;

/**
 * The context of one request being handled: where it came from and how to answer it. As a {@link DimseRequestor}
 * it sends requests of our own back on the same association while this one runs (C-GET sub-operations).
 */
public interface DimseExchange extends DimseRequestor {

    AssociationInfo association();

    int presentationContextId();

    /** Negotiated transfer syntax of the request's presentation context (applies to request and response data sets). */
    String transferSyntaxUid();

    /** Abstract syntax (SOP class) of the request's presentation context. */
    String abstractSyntaxUid();

    /**
     * Sends a response. Status 0xFF00/0xFF01 are pending; any other status is final and may be sent only once.
     * Command Data Set Type is set from {@code dataSetOrNull}. Any unread request data set is drained first.
     */
    void sendResponse(CommandSet rsp, DataSetWriter dataSetOrNull) throws IOException;

    /**
     * True once a C-CANCEL-RQ for this request arrived. Checked by a non-blocking peek at the socket between
     * responses (no reader thread): it only sees a cancel after the request data set was fully read.
     */
    boolean isCancelled();
}
