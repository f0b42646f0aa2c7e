package dev.atrium.index;

/** Where an indexed instance's bytes are, and what they are. */
public record StoredInstance(
    String studyInstanceUid, String seriesInstanceUid, String sopInstanceUid, String sopClassUid,
    String transferSyntaxUid, String blobKey, long blobSize) {}
