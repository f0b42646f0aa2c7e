package dev.atrium.dimse.net;

import java.io.IOException;
import java.util.List;

/**
 * Issues DIMSE requests on an association and waits for their responses, one outstanding at a time (asynchronous
 * operations window 1, PS3.7 D.3.3.3). A {@link ClientAssociation} is one (C-MOVE sub-operations go to a new
 * association); so is the association of a {@link DimseExchange} (C-GET sub-operations go back on it).
 */
public interface DimseRequestor {

    /**
     * The accepted presentation contexts on which we may send requests of {@code abstractSyntaxUid}. On an
     * association we accepted, only those whose SOP class the requestor negotiated in the SCP role (PS3.7 D.3.3.4).
     */
    List<AcceptedContext> requestContexts(String abstractSyntaxUid);

    /**
     * Sends a request on an accepted context and returns the Message ID it was given (unique among ours,
     * PS3.7 9.1.1.1); Command Data Set Type is set from {@code dataSetOrNull}.
     */
    int sendRequest(int presentationContextId, CommandSet request, DataSetWriter dataSetOrNull) throws IOException;

    /** Blocks until the response to {@code messageId} arrives; a data set it carries is read and discarded. */
    CommandSet awaitResponse(int messageId) throws IOException;
}
