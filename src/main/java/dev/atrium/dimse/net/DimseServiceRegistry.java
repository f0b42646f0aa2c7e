package dev.atrium.dimse.net;

import java.util.List;

/** What the SCP offers: association admission, presentation context negotiation and request handlers. */
public interface DimseServiceRegistry {

    /** Called AE titles served besides the server's own (PS3.8 reason 7 rejects any other). */
    default boolean answersCalledAeTitle(String calledAeTitle) {
        return false;
    }

    /**
     * The layer itself rejected an association before {@link #acceptAssociation} was asked (a called
     * AE title not served, PS3.8 reason 7): for the audit trail, which records every refused peer.
     */
    default void associationRefused(AssociationInfo a, String reason) {}

    /** Called before A-ASSOCIATE-AC; false rejects (permanent, service user, calling AE not recognized). */
    boolean acceptAssociation(AssociationInfo a);

    /** Chosen transfer syntax UID, or null if none acceptable; return null for unknown abstract syntaxes. */
    String negotiate(String abstractSyntaxUid, List<String> proposedTransferSyntaxes);

    /**
     * Whether the association requestor may take the SCP role for {@code sopClassUid} (SCP/SCU Role Selection,
     * PS3.7 D.3.3.4), so that we send it requests of that class: the storage classes of C-GET (PS3.4 C.4.3).
     */
    default boolean acceptRequestorScpRole(String sopClassUid) {
        return false;
    }

    /** The handler for a request command; null → the layer answers with status 0x0211 (unrecognized operation). */
    DimseRequestHandler handlerFor(int commandField, String affectedOrRequestedSopClassUid);

    /** Called once when an association is accepted (A-ASSOCIATE-AC sent); {@link #associationClosed} follows. */
    default void associationOpened(AssociationInfo a) {}

    /** Called once when an accepted association has ended, however it ended. */
    default void associationClosed(AssociationInfo a) {}
}
