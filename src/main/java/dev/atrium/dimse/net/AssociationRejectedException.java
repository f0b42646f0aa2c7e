package dev.atrium.dimse.net;

import java.io.IOException;

/** The called AE answered our A-ASSOCIATE-RQ with A-ASSOCIATE-RJ (PS3.8 9.3.4); the message says why. */
public final class AssociationRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    AssociationRejectedException(int result, int source, int reason) {
        super("association rejected " + (result == 2 ? "(transient)" : "(permanent)") + ": " + why(source, reason));
    }

    /** PS3.8 Table 9-21: reason by source (1 service user, 2 ACSE provider, 3 presentation provider). */
    private static String why(int source, int reason) {
        return switch (source * 16 + reason) {
            case 0x12 -> "application context name not supported";
            case 0x13 -> "calling AE title not recognized";
            case 0x17 -> "called AE title not recognized";
            case 0x22 -> "protocol version not supported";
            case 0x31 -> "temporary congestion";
            case 0x32 -> "local limit exceeded";
            default -> "source " + source + ", reason " + reason;
        };
    }
}
