package dev.atrium.dimse.net;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed A-ASSOCIATE-RQ or A-ASSOCIATE-AC (PS3.8 9.3.2, 9.3.3: the same layout), user information PS3.8 D.1
 * and PS3.7 D.3.3.
 */
record AssociatePdu(int protocolVersion, String calledAeTitle, String callingAeTitle,
                    String applicationContext, List<PresentationContext> presentationContexts,
                    long maxPduLength, String implementationClassUid, String implementationVersionName,
                    List<RoleSelection> roleSelections) {

    /**
     * A proposed presentation context (RQ: its transfer syntaxes; result 0), or the answer to one (AC: no
     * abstract syntax, the one transfer syntax, and the result of PS3.8 9.3.3.2: 0 acceptance, 1-4 rejections).
     */
    record PresentationContext(int id, String abstractSyntax, List<String> transferSyntaxes, int result) {}

    /** SCP/SCU role selection sub-item 0x54 (PS3.7 D.3.3.4); flags are 0 or 1. */
    record RoleSelection(String sopClassUid, int scuRole, int scpRole) {}

    /** @param body the PDU after its 6-byte header */
    static AssociatePdu parse(byte[] body) throws DicomProtocolException {
        try {
            ByteBuffer b = ByteBuffer.wrap(body); // PDU fields are big endian
            int version = b.getShort() & 0xFFFF;
            b.getShort();
            String called = ascii(b, 16).trim();
            String calling = ascii(b, 16).trim();
            b.position(b.position() + 32);
            String appContext = null;
            List<PresentationContext> pcs = new ArrayList<>();
            List<RoleSelection> roles = new ArrayList<>();
            long maxLength = 0;
            String implClass = null, implVersion = null;
            while (b.hasRemaining()) {
                int type = b.get() & 0xFF;
                b.get();
                ByteBuffer item = slice(b, b.getShort() & 0xFFFF);
                switch (type) {
                    case PduType.ITEM_APPLICATION_CONTEXT -> appContext = uid(item, item.remaining());
                    case PduType.ITEM_PRESENTATION_CONTEXT_RQ, PduType.ITEM_PRESENTATION_CONTEXT_AC ->
                            pcs.add(parsePresentationContext(item));
                    case PduType.ITEM_USER_INFO -> {
                        while (item.hasRemaining()) {
                            int subType = item.get() & 0xFF;
                            item.get();
                            ByteBuffer sub = slice(item, item.getShort() & 0xFFFF);
                            switch (subType) {
                                case PduType.SUB_MAX_LENGTH -> maxLength = sub.getInt() & 0xFFFF_FFFFL;
                                case PduType.SUB_IMPLEMENTATION_CLASS_UID -> implClass = uid(sub, sub.remaining());
                                case PduType.SUB_IMPLEMENTATION_VERSION -> implVersion = ascii(sub, sub.remaining()).trim();
                                case PduType.SUB_ROLE_SELECTION -> {
                                    String uid = uid(sub, sub.getShort() & 0xFFFF);
                                    roles.add(new RoleSelection(uid, sub.get() & 1, sub.get() & 1));
                                }
                                default -> { } // async ops window (we run window 1), extended negotiation, user identity
                            }
                        }
                    }
                    default -> { } // unknown item types are skipped, not fatal
                }
            }
            return new AssociatePdu(version, called, calling, appContext, pcs, maxLength, implClass,
                    implVersion, roles);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new DicomProtocolException(DicomProtocolException.REASON_INVALID_PARAMETER,
                    "malformed A-ASSOCIATE PDU: item lengths inconsistent");
        }
    }

    private static PresentationContext parsePresentationContext(ByteBuffer item) {
        int id = item.get() & 0xFF;
        item.get();
        int result = item.get() & 0xFF; // reserved in the RQ
        item.get();
        String abstractSyntax = null;
        List<String> ts = new ArrayList<>();
        while (item.hasRemaining()) {
            int type = item.get() & 0xFF;
            item.get();
            int len = item.getShort() & 0xFFFF;
            switch (type) {
                case PduType.ITEM_ABSTRACT_SYNTAX -> abstractSyntax = uid(item, len);
                case PduType.ITEM_TRANSFER_SYNTAX -> ts.add(uid(item, len));
                default -> slice(item, len); // skip unknown sub-items
            }
        }
        return new PresentationContext(id, abstractSyntax, List.copyOf(ts), result);
    }

    /** A sub-buffer of {@code len} bytes, advancing {@code b} past it; throws if it would overrun. */
    private static ByteBuffer slice(ByteBuffer b, int len) {
        if (len > b.remaining()) throw new BufferUnderflowException();
        ByteBuffer s = b.slice(b.position(), len);
        b.position(b.position() + len);
        return s;
    }

    private static String ascii(ByteBuffer b, int len) {
        byte[] raw = new byte[len];
        b.get(raw);
        return new String(raw, StandardCharsets.US_ASCII);
    }

    /** UIDs are sometimes NUL- or space-padded by sloppy peers. */
    private static String uid(ByteBuffer b, int len) {
        String s = ascii(b, len);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == 0 || s.charAt(end - 1) == ' ')) end--;
        return s.substring(0, end);
    }
}
