package dev.atrium.dimse.net;

import java.io.InputStream;

/** Handles one kind of DIMSE request. Instances are shared across associations and must be thread-safe. */
@FunctionalInterface
public interface DimseRequestHandler {
    /**
     * Handle one request. {@code dataSet} is null when the request has none; otherwise the data set streamed
     * straight off the socket in the request's transfer syntax (whatever is left unread is drained by the layer
     * before the response). Responses go through {@code exchange}: any number of pending ones, exactly one final.
     * If this throws before the final response, the layer answers 0x0110 (processing failure) with the message as
     * Error Comment; the association stays open.
     */
    void handle(DimseExchange exchange, CommandSet request, InputStream dataSet) throws Exception;
}
