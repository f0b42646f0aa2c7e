package dev.atrium.dimse.net;

import java.io.InputStream;

/** Verification SOP class (PS3.4 A.4): C-ECHO always succeeds. */
public final class EchoHandler implements DimseRequestHandler {
    public static final String VERIFICATION_SOP_CLASS = "1.2.840.10008.1.1";
    public static final EchoHandler INSTANCE = new EchoHandler();

    @Override
    public void handle(DimseExchange exchange, CommandSet request, InputStream dataSet) throws Exception {
        exchange.sendResponse(CommandSet.responseTo(request, CommandSet.C_ECHO_RSP, CommandSet.STATUS_SUCCESS), null);
    }
}
