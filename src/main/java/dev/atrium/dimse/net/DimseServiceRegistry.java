package dev.atrium.dimse.net;

import java.util.List;

/** What the SCP offers: association admission, presentation context negotiation and request handlers. */
public interface DimseServiceRegistry {

    /** Called AE titles served besides the server's own (PS3.8 reason 7 rejects any other). */
    default boolean answersCalledAeTitle(String calledAeTitle) {
        return false;
    }

    /** Called before A-ASSOCIATE-AC; false rejects (permanent, service user, calling AE not recognized). */
    boolean acceptAssociation(AssociationInfo a);

    /** Chosen transfer syntax UID, or null if none acceptable; return null for unknown abstract syntaxes. */
    String negotiate(String abstractSyntaxUid, List<String> proposedTransferSyntaxes);

    /** The handler for a request command; null → the layer answers with status 0x0211 (unrecognized operation). */
    DimseRequestHandler handlerFor(int commandField, String affectedOrRequestedSopClassUid);

    /** Called once when an accepted association has ended, however it ended. */
    default void associationClosed(AssociationInfo a) {}
}
