package dev.atrium.dicom;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The typed values the index keeps (dates, times, integers), parsed from a header's text, with a note of each value
 * present that does not parse. Such an instance is stored all the same, byte for byte, with that attribute left out
 * of the index, and the store answers with a warning that names it: as the Azure DICOM service does for searchable
 * attributes (API v2), rather than refusing the instance or leaving it unfindable without a word.
 */
final class IndexedValues {
  /** A top-level attribute's values as one string (backslash-joined, trimmed), or null. */
  interface Text {
    String of(int tag);
  }

  private static final int SHOWN_VALUE_LENGTH = 32;

  private final Text text;
  private final List<String> invalid = new ArrayList<>();

  IndexedValues(Text text) {
    this.text = text;
  }

  LocalDate date(int tag) {
    return parsed(tag, "DA", "YYYYMMDD", DicomValues::date);
  }

  LocalTime time(int tag) {
    return parsed(tag, "TM", "HHMMSS.FFFFFF", DicomValues::time);
  }

  Integer integer(int tag) {
    return parsed(tag, "IS", "an integer", DicomValues::integer);
  }

  /** One line per value that did not parse, naming the attribute, the value and what it should be. */
  List<String> invalid() {
    return List.copyOf(invalid);
  }

  private <T> T parsed(int tag, String vr, String form, Function<String, T> parse) {
    String value = text.of(tag);
    T parsed = parse.apply(value);
    if (parsed == null && value != null && !value.isBlank()) {
      invalid.add(TagHex.display(tag) + " " + DataDictionary.keyword(tag) + " '" + shown(value) + "' is not a valid "
          + vr + " (" + form + "): stored, not indexed");
    }
    return parsed;
  }

  /** Short, one value (a backslash would split an LO Error Comment), printable. */
  private static String shown(String value) {
    String printable = value.replace('\\', '/').replaceAll("\\p{Cntrl}", "?");
    return printable.length() <= SHOWN_VALUE_LENGTH ? printable
        : printable.substring(0, SHOWN_VALUE_LENGTH) + "...";
  }
}
