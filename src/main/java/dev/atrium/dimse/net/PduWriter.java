package dev.atrium.dimse.net;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes the association-control PDUs we send (PS3.8 9.3.3 - 9.3.8). Fields are big endian. */
final class PduWriter {

    /** An accepted or rejected presentation context for the A-ASSOCIATE-AC. */
    record PresentationContextResult(int id, int result, String transferSyntax) {}

    static final int PC_ACCEPTANCE = 0, PC_ABSTRACT_SYNTAX_NOT_SUPPORTED = 3, PC_TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    private final OutputStream out;

    PduWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * A-ASSOCIATE-AC (PS3.8 9.3.3) answering {@code rq}; {@code roles} answers its role selection items
     * (PS3.7 D.3.3.4), one per item proposed.
     */
    void associateAc(AssociatePdu rq, List<PresentationContextResult> pcs, List<AssociatePdu.RoleSelection> roles,
                     int maxPduLength, String implClassUid, String implVersion) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256 + 64 * pcs.size());
        DataOutputStream d = new DataOutputStream(body);
        // called/calling AE are "reserved" in the AC but must echo the RQ values (PS3.8 9.3.3)
        header(d, rq.calledAeTitle(), rq.callingAeTitle());
        for (PresentationContextResult pc : pcs) {
            byte[] ts = ascii(pc.transferSyntax());
            d.writeByte(PduType.ITEM_PRESENTATION_CONTEXT_AC);
            d.writeByte(0);
            d.writeShort(4 + 4 + ts.length);
            d.write(new byte[] {(byte) pc.id(), 0, (byte) pc.result(), 0});
            item(d, PduType.ITEM_TRANSFER_SYNTAX, ts);
        }
        userInformation(d, maxPduLength, implClassUid, roles, implVersion);
        pdu(PduType.ASSOCIATE_AC, body.toByteArray());
    }

    /** A-ASSOCIATE-RQ (PS3.8 9.3.2) proposing {@code pcs} (odd ids, PS3.8 9.3.2.2) and the {@code roles} asked. */
    void associateRq(String calledAeTitle, String callingAeTitle, List<AssociatePdu.PresentationContext> pcs,
                     List<AssociatePdu.RoleSelection> roles, int maxPduLength, String implClassUid,
                     String implVersion) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256 + 128 * pcs.size());
        DataOutputStream d = new DataOutputStream(body);
        header(d, calledAeTitle, callingAeTitle);
        for (AssociatePdu.PresentationContext pc : pcs) {
            ByteArrayOutputStream item = new ByteArrayOutputStream(128);
            DataOutputStream i = new DataOutputStream(item);
            i.write(new byte[] {(byte) pc.id(), 0, 0, 0});
            item(i, PduType.ITEM_ABSTRACT_SYNTAX, ascii(pc.abstractSyntax()));
            for (String ts : pc.transferSyntaxes()) item(i, PduType.ITEM_TRANSFER_SYNTAX, ascii(ts));
            item(d, PduType.ITEM_PRESENTATION_CONTEXT_RQ, item.toByteArray());
        }
        userInformation(d, maxPduLength, implClassUid, roles, implVersion);
        pdu(PduType.ASSOCIATE_RQ, body.toByteArray());
    }

    /** Protocol version, AE titles, reserved field and application context: the start of both RQ and AC. */
    private static void header(DataOutputStream d, String calledAeTitle, String callingAeTitle) throws IOException {
        d.writeShort(1); // protocol version
        d.writeShort(0);
        d.write(ae(calledAeTitle));
        d.write(ae(callingAeTitle));
        d.write(new byte[32]);
        item(d, PduType.ITEM_APPLICATION_CONTEXT, ascii(PduType.DICOM_APPLICATION_CONTEXT));
    }

    private static void userInformation(DataOutputStream d, int maxPduLength, String implClassUid,
                                        List<AssociatePdu.RoleSelection> roles, String implVersion) throws IOException {
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        DataOutputStream u = new DataOutputStream(user);
        item(u, PduType.SUB_MAX_LENGTH, new byte[] {(byte) (maxPduLength >>> 24), (byte) (maxPduLength >>> 16),
                (byte) (maxPduLength >>> 8), (byte) maxPduLength});
        item(u, PduType.SUB_IMPLEMENTATION_CLASS_UID, ascii(implClassUid));
        // no async ops window item: absence means window 1/1 (PS3.7 D.3.3.3)
        for (AssociatePdu.RoleSelection r : roles) {
            byte[] uid = ascii(r.sopClassUid());
            ByteArrayOutputStream rs = new ByteArrayOutputStream();
            DataOutputStream rd = new DataOutputStream(rs);
            rd.writeShort(uid.length);
            rd.write(uid);
            rd.writeByte(r.scuRole());
            rd.writeByte(r.scpRole());
            item(u, PduType.SUB_ROLE_SELECTION, rs.toByteArray());
        }
        item(u, PduType.SUB_IMPLEMENTATION_VERSION, ascii(implVersion));
        item(d, PduType.ITEM_USER_INFO, user.toByteArray());
    }

    /** A-ASSOCIATE-RJ (PS3.8 9.3.4): result 1 permanent / 2 transient; source 1 user, 2 ACSE, 3 presentation. */
    void associateRj(int result, int source, int reason) throws IOException {
        pdu(PduType.ASSOCIATE_RJ, new byte[] {0, (byte) result, (byte) source, (byte) reason});
    }

    void releaseRq() throws IOException {
        pdu(PduType.RELEASE_RQ, new byte[4]);
    }

    void releaseRp() throws IOException {
        pdu(PduType.RELEASE_RP, new byte[4]);
    }

    /** A-ABORT (PS3.8 9.3.8): source 0 service user, 2 service provider. */
    void abort(int source, int reason) throws IOException {
        pdu(PduType.ABORT, new byte[] {0, 0, (byte) source, (byte) reason});
    }

    private void pdu(int type, byte[] body) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeByte(type);
        d.writeByte(0);
        d.writeInt(body.length);
        d.write(body);
        d.flush();
    }

    private static void item(DataOutputStream d, int type, byte[] value) throws IOException {
        d.writeByte(type);
        d.writeByte(0);
        d.writeShort(value.length);
        d.write(value);
    }

    private static byte[] ae(String title) {
        return String.format("%-16s", title).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
