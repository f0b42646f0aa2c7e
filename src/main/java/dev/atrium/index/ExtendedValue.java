package dev.atrium.index;

/**
 * What one instance holds for one extended query tag, as the tag's VR types it: a value (String
 * for AE, AS, CS, LO, SH, UI and PN; Long for IS, SL, SS, UL, US; Double for DS, FD, FL;
 * LocalDate for DA, LocalDateTime for DT, LocalTime for TM), a value that could not be indexed
 * (kept as an error of the tag, the instance is stored anyway), or nothing.
 */
public sealed interface ExtendedValue {
  ExtendedTag tag();

  record Of(ExtendedTag tag, Object value) implements ExtendedValue {}

  record Invalid(ExtendedTag tag, String reason) implements ExtendedValue {}

  record Absent(ExtendedTag tag) implements ExtendedValue {}

  /** Reads the values of the tags from an instance's DICOM JSON (the tags capability implements it). */
  interface Reader {
    java.util.List<ExtendedValue> read(byte[] metadataJson, java.util.List<ExtendedTag> tags);
  }
}
