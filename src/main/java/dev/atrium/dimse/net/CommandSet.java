package dev.atrium.dimse.net;

import dev.atrium.dicom.TagHex;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DIMSE command set (group 0000, PS3.7 section 9/10 and annex E), always encoded in implicit VR little endian.
 * Values are kept as raw bytes in tag order; the typed accessors interpret them. Not thread-safe.
 */
public final class CommandSet {

    // Command Field values (PS3.7 E.1)
    public static final int C_STORE_RQ = 0x0001, C_STORE_RSP = 0x8001;
    public static final int C_GET_RQ = 0x0010, C_GET_RSP = 0x8010;
    public static final int C_FIND_RQ = 0x0020, C_FIND_RSP = 0x8020;
    public static final int C_MOVE_RQ = 0x0021, C_MOVE_RSP = 0x8021;
    public static final int C_ECHO_RQ = 0x0030, C_ECHO_RSP = 0x8030;
    public static final int C_CANCEL_RQ = 0x0FFF;
    public static final int RESPONSE_BIT = 0x8000;

    /** Command Data Set Type value meaning "no data set"; any other value means one follows. */
    public static final int NO_DATA_SET = 0x0101;
    public static final int DATA_SET_PRESENT = 0x0000;

    // Priority
    public static final int PRIORITY_MEDIUM = 0x0000, PRIORITY_HIGH = 0x0001, PRIORITY_LOW = 0x0002;

    // Status codes (PS3.7 annex C)
    public static final int STATUS_SUCCESS = 0x0000;
    public static final int STATUS_PENDING = 0xFF00, STATUS_PENDING_WARNING = 0xFF01;
    public static final int STATUS_CANCEL = 0xFE00;
    public static final int STATUS_PROCESSING_FAILURE = 0x0110;
    public static final int STATUS_NO_SUCH_SOP_CLASS = 0x0118;
    public static final int STATUS_SOP_CLASS_NOT_SUPPORTED = 0x0122;
    public static final int STATUS_DUPLICATE_SOP_INSTANCE = 0x0111;
    public static final int STATUS_UNRECOGNIZED_OPERATION = 0x0211;
    public static final int STATUS_OUT_OF_RESOURCES = 0xA700;
    public static final int STATUS_DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
    public static final int STATUS_CANNOT_UNDERSTAND = 0xC000;

    // Tags (group 0000, PS3.7 E.1)
    public static final int COMMAND_GROUP_LENGTH = 0x0000_0000;
    public static final int AFFECTED_SOP_CLASS_UID = 0x0000_0002;
    public static final int REQUESTED_SOP_CLASS_UID = 0x0000_0003;
    public static final int COMMAND_FIELD = 0x0000_0100;
    public static final int MESSAGE_ID = 0x0000_0110;
    public static final int MESSAGE_ID_BEING_RESPONDED_TO = 0x0000_0120;
    public static final int MOVE_DESTINATION = 0x0000_0600;
    public static final int PRIORITY = 0x0000_0700;
    public static final int COMMAND_DATA_SET_TYPE = 0x0000_0800;
    public static final int STATUS = 0x0000_0900;
    public static final int OFFENDING_ELEMENT = 0x0000_0901;
    public static final int ERROR_COMMENT = 0x0000_0902;
    public static final int ERROR_ID = 0x0000_0903;
    public static final int AFFECTED_SOP_INSTANCE_UID = 0x0000_1000;
    public static final int REQUESTED_SOP_INSTANCE_UID = 0x0000_1001;
    public static final int NUMBER_OF_REMAINING_SUBOPERATIONS = 0x0000_1020;
    public static final int NUMBER_OF_COMPLETED_SUBOPERATIONS = 0x0000_1021;
    public static final int NUMBER_OF_FAILED_SUBOPERATIONS = 0x0000_1022;
    public static final int NUMBER_OF_WARNING_SUBOPERATIONS = 0x0000_1023;
    public static final int MOVE_ORIGINATOR_AE_TITLE = 0x0000_1030;
    public static final int MOVE_ORIGINATOR_MESSAGE_ID = 0x0000_1031;

    /** Commands are tiny; anything bigger is a broken or hostile peer. */
    static final int MAX_ENCODED_LENGTH = 64 * 1024;

    private final TreeMap<Integer, byte[]> elements = new TreeMap<>();

    /** A response to {@code request}: copies the message id and affected SOP class/instance, no data set. */
    public static CommandSet responseTo(CommandSet request, int commandField, int status) {
        CommandSet rsp = new CommandSet();
        rsp.setUS(COMMAND_FIELD, commandField);
        rsp.setUS(MESSAGE_ID_BEING_RESPONDED_TO, request.getInt(MESSAGE_ID, 0));
        String cuid = request.getString(AFFECTED_SOP_CLASS_UID);
        if (cuid == null) cuid = request.getString(REQUESTED_SOP_CLASS_UID);
        if (cuid != null) rsp.setUI(AFFECTED_SOP_CLASS_UID, cuid);
        String iuid = request.getString(AFFECTED_SOP_INSTANCE_UID);
        if (iuid != null) rsp.setUI(AFFECTED_SOP_INSTANCE_UID, iuid);
        rsp.setUS(COMMAND_DATA_SET_TYPE, NO_DATA_SET);
        rsp.setUS(STATUS, status);
        return rsp;
    }

    // ---- typed setters --------------------------------------------------------------------------

    public CommandSet setUS(int tag, int value) {
        return setBytes(tag, new byte[] {(byte) value, (byte) (value >>> 8)});
    }

    public CommandSet setUL(int tag, long value) {
        return setBytes(tag, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
    }

    /** UI: padded with NUL to even length (PS3.5 9.1). */
    public CommandSet setUI(int tag, String uid) {
        return setBytes(tag, pad(uid, (byte) 0));
    }

    /** AE: padded with space to even length. */
    public CommandSet setAE(int tag, String ae) {
        return setBytes(tag, pad(ae, (byte) ' '));
    }

    /** LO (and other text VRs): padded with space; beyond 64 characters cut at a word, marked with "...". */
    public CommandSet setLO(int tag, String text) {
        return setBytes(tag, pad(fitLO(text), (byte) ' '));
    }

    static String fitLO(String text) {
        if (text.length() <= 64) return text;
        int cut = text.lastIndexOf(' ', 61);
        return text.substring(0, cut > 40 ? cut : 61) + "...";
    }

    public CommandSet setBytes(int tag, byte[] value) {
        checkTag(tag);
        if ((value.length & 1) != 0) throw new IllegalArgumentException("odd value length for tag " + tagString(tag));
        elements.put(tag, value.clone());
        return this;
    }

    public CommandSet remove(int tag) {
        elements.remove(tag);
        return this;
    }

    // ---- typed getters --------------------------------------------------------------------------

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    /** US or UL value (by value length), or {@code defaultValue} if absent or empty. */
    public long getLong(int tag, long defaultValue) {
        byte[] v = elements.get(tag);
        if (v == null || v.length < 2) return defaultValue;
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
        return v.length >= 4 ? b.getInt() & 0xFFFF_FFFFL : b.getShort() & 0xFFFF;
    }

    public int getInt(int tag, int defaultValue) {
        return (int) getLong(tag, defaultValue);
    }

    /** String value without padding (trailing NUL/space, leading space), or null if absent. */
    public String getString(int tag) {
        byte[] v = elements.get(tag);
        if (v == null) return null;
        int end = v.length;
        while (end > 0 && (v[end - 1] == 0 || v[end - 1] == ' ')) end--;
        int start = 0;
        while (start < end && v[start] == ' ') start++;
        return new String(v, start, end - start, StandardCharsets.US_ASCII);
    }

    public byte[] getBytes(int tag) {
        byte[] v = elements.get(tag);
        return v == null ? null : v.clone();
    }

    public int commandField() { return getInt(COMMAND_FIELD, -1); }

    public int messageId() { return getInt(MESSAGE_ID, -1); }

    public int messageIdBeingRespondedTo() { return getInt(MESSAGE_ID_BEING_RESPONDED_TO, -1); }

    public int status() { return getInt(STATUS, -1); }

    public boolean hasDataSet() { return getInt(COMMAND_DATA_SET_TYPE, NO_DATA_SET) != NO_DATA_SET; }

    public boolean isPending() {
        int s = status();
        return s == STATUS_PENDING || s == STATUS_PENDING_WARNING;
    }

    /** Affected SOP Class UID, falling back to Requested SOP Class UID. */
    public String sopClassUid() {
        String uid = getString(AFFECTED_SOP_CLASS_UID);
        return uid != null ? uid : getString(REQUESTED_SOP_CLASS_UID);
    }

    // ---- codec ----------------------------------------------------------------------------------

    /** Implicit VR LE encoding, with Command Group Length computed (PS3.7 6.3.1). */
    public byte[] encode() {
        int bodyLength = 0;
        for (Map.Entry<Integer, byte[]> e : elements.entrySet())
            if (e.getKey() != COMMAND_GROUP_LENGTH) bodyLength += 8 + e.getValue().length;
        ByteBuffer b = ByteBuffer.allocate(12 + bodyLength).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(COMMAND_GROUP_LENGTH).putInt(4).putInt(bodyLength);
        for (Map.Entry<Integer, byte[]> e : elements.entrySet()) {
            if (e.getKey() == COMMAND_GROUP_LENGTH) continue;
            // implicit VR LE tag = group (LE16) then element (LE16); group is 0 so it is the element as LE32
            b.putShort((short) 0).putShort((short) (int) e.getKey()).putInt(e.getValue().length).put(e.getValue());
        }
        return b.array();
    }

    /** Parses an implicit VR LE command; only group 0000 elements are allowed. */
    public static CommandSet decode(byte[] bytes) {
        CommandSet cs = new CommandSet();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() > 0) {
            if (b.remaining() < 8) throw new IllegalArgumentException("truncated command element header");
            int group = b.getShort() & 0xFFFF, element = b.getShort() & 0xFFFF;
            long length = b.getInt() & 0xFFFF_FFFFL;
            if (group != 0) throw new IllegalArgumentException("non-command element in command set: " + group);
            if (length > b.remaining()) throw new IllegalArgumentException("command element length exceeds command");
            byte[] v = new byte[(int) length];
            b.get(v);
            cs.elements.put(element, v);
        }
        return cs;
    }

    private static byte[] pad(String s, byte padding) {
        byte[] raw = s.getBytes(StandardCharsets.US_ASCII);
        if ((raw.length & 1) == 0) return raw;
        byte[] padded = Arrays.copyOf(raw, raw.length + 1);
        padded[raw.length] = padding;
        return padded;
    }

    private static void checkTag(int tag) {
        if ((tag >>> 16) != 0) throw new IllegalArgumentException("not a command tag: " + tagString(tag));
    }

    private static String tagString(int tag) {
        return TagHex.display(tag);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CommandSet[");
        String sep = "";
        for (Map.Entry<Integer, byte[]> e : elements.entrySet()) {
            sb.append(sep).append(tagString(e.getKey())).append('=');
            byte[] v = e.getValue();
            boolean text = v.length > 4 || e.getKey() == ERROR_COMMENT;
            sb.append(text ? getString(e.getKey()) : Long.toHexString(getLong(e.getKey(), 0)));
            sep = ", ";
        }
        return sb.append(']').toString();
    }
}
