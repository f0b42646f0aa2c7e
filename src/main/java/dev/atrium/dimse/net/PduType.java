package dev.atrium.dimse.net;

/** PDU and item type codes (PS3.8 9.3 and annex D). */
final class PduType {
    static final int ASSOCIATE_RQ = 0x01, ASSOCIATE_AC = 0x02, ASSOCIATE_RJ = 0x03;
    static final int P_DATA_TF = 0x04, RELEASE_RQ = 0x05, RELEASE_RP = 0x06, ABORT = 0x07;

    static final int ITEM_APPLICATION_CONTEXT = 0x10;
    static final int ITEM_PRESENTATION_CONTEXT_RQ = 0x20, ITEM_PRESENTATION_CONTEXT_AC = 0x21;
    static final int ITEM_ABSTRACT_SYNTAX = 0x30, ITEM_TRANSFER_SYNTAX = 0x40;
    static final int ITEM_USER_INFO = 0x50, SUB_MAX_LENGTH = 0x51, SUB_IMPLEMENTATION_CLASS_UID = 0x52;
    static final int SUB_ASYNC_OPS_WINDOW = 0x53, SUB_ROLE_SELECTION = 0x54, SUB_IMPLEMENTATION_VERSION = 0x55;

    static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    private PduType() {}
}
