package dev.atrium.dicom;

import com.fasterxml.jackson.core.JsonGenerator;
import com.pixelmed.dicom.SpecificCharacterSet;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The store path's header reader: one pass over a PS3.10 file, up to Pixel Data, that gives the
 * values the index needs and the instance's DICOM JSON (PS3.18 F.2) straight from the bytes.
 * PixelMed's AttributeList gave the same through its object model at several times the cost: it
 * builds a trace-log string for every element whatever the log level, and that alone was half of
 * a C-STORE thread's CPU. A file this reader does not take on (elements out of order or repeated,
 * an encapsulated value inside a sequence, a VR it does not know) is refused with
 * {@link NotScannable}, and {@link DicomHeaderReader} reads it with PixelMed instead; the two must
 * agree, which {@code HeaderScannerTest} checks on pydicom's corpus.
 */
final class HeaderScanner {
  private static final int SPECIFIC_CHARACTER_SET = 0x00080005;
  private static final int BITS_ALLOCATED = 0x00280100;
  private static final int PIXEL_REPRESENTATION = 0x00280103;
  private static final int INLINE_BINARY_LIMIT = 1024;
  private static final int MAX_DEPTH = 32;
  /** The file needs the full parser (see the class comment); the message says why, for debugging. */
  static final class NotScannable extends Exception {
    NotScannable(String why) {
      super(why, null, false, false);
    }
  }

  /** What a scan gives: top-level values as delimited text (the transfer syntax among them), the JSON document. */
  record Scan(Map<Integer, String> texts, byte[] json) {}

  private final ElementReader reader;
  private final int[] wanted; // sorted
  private final Map<Integer, String> texts = new HashMap<>();
  private final JsonGenerator json;
  private final boolean bigEndian;
  private SpecificCharacterSet characterSet;
  /**
   * Whether bytes below 0x80 without ESC decode as ASCII in the current character set, as they do
   * in every one but JIS X 0201 (PS3.3 C.12.1.1.2). PixelMed's decoder builds a hex dump of every
   * value for its trace log, whatever the log level; plain ASCII values, nearly all of them, skip it.
   */
  private boolean asciiDecodes = true;
  private int bitsAllocated;
  private int pixelRepresentation;

  private HeaderScanner(ElementReader reader, int[] wanted, JsonGenerator json, boolean bigEndian) {
    this.reader = reader;
    this.wanted = wanted;
    this.json = json;
    this.bigEndian = bigEndian;
    this.characterSet = new SpecificCharacterSet((String[]) null);
  }

  /**
   * Scans a PS3.10 file whose framing was already verified. {@code wanted}: the top-level tags (sorted) to
   * return as text (values trimmed of padding, joined by backslashes), as the index reads them.
   * {@code framing}: what the framing walk learned (Pixel Data's presence and VR).
   */
  static Scan scan(InputStream part10, int[] wanted, DicomStructure.Framing framing)
      throws IOException, NotScannable {
    Part10File file;
    try {
      file = Part10File.read(part10); // closed here; the caller may close part10 again
    } catch (DicomParseException e) {
      throw new NotScannable(e.getMessage());
    }
    try (file) {
      String transferSyntax = file.transferSyntaxUid;
      boolean bigEndian = !file.syntax.littleEndian();
      ElementReader reader = file.reader;
      MetadataLimit.Buffer out = new MetadataLimit.Buffer(16 * 1024);
      HeaderScanner scanner;
      try (JsonGenerator json = DicomJsonEncoder.JSON.createGenerator(out)) {
        scanner = new HeaderScanner(reader, wanted, json, bigEndian);
        json.writeStartObject();
        scanner.dataSet(Long.MAX_VALUE, true, 0);
        String bits = scanner.texts.get(BITS_ALLOCATED);
        String pixelDataVr = DicomHeaderReader.pixelDataVr(framing, transferSyntax, DicomValues.integer(bits));
        if (pixelDataVr != null) DicomJsonEncoder.writePixelDataReference(json, pixelDataVr);
        json.writeEndObject();
      }
      scanner.texts.put(0x00020010, transferSyntax);
      return new Scan(scanner.texts, out.toByteArray());
    }
  }

  /**
   * The elements of a data set or item until {@code end} (a position) or, for an item of undefined
   * length, its delimiter. The top level stops at Pixel Data, which the caller lists by reference.
   */
  private void dataSet(long end, boolean topLevel, int depth) throws IOException, NotScannable {
    if (depth > MAX_DEPTH) throw new NotScannable("sequences nested too deeply");
    SpecificCharacterSet inherited = characterSet;
    boolean inheritedAscii = asciiDecodes;
    long previous = -1;
    while (reader.position() < end) {
      if (!reader.next()) {
        if (end == Long.MAX_VALUE) break;
        throw new NotScannable("the data set ends inside an item");
      }
      int tag = reader.tag;
      if (tag == ElementReader.ITEM_DELIMITER && !topLevel) break;
      if (topLevel && tag == ElementReader.PIXEL_DATA) break;
      if (Integer.toUnsignedLong(tag) <= previous) throw new NotScannable("elements out of order");
      previous = Integer.toUnsignedLong(tag);
      // Implicit VR, or UN for an element the dictionary knows: the dictionary's VR, as PixelMed reads it.
      String vr = reader.vr != null && !reader.vr.equals("UN") ? reader.vr
          : DataDictionary.vr(tag, bitsAllocated, pixelRepresentation);
      boolean listed = (tag >>> 16) != 0x0002 && (tag & 0xFFFF) != 0 && (tag >>> 16) != 0xFFFC;
      if ("UN".equals(reader.vr) && "SQ".equals(vr) || reader.length == ElementReader.UNDEFINED && "UN".equals(vr)) {
        throw new NotScannable("a sequence encoded as UN"); // PixelMed's reading of these is its own
      }
      if ("SQ".equals(vr)) {
        sequence(tag, listed, depth);
        continue;
      }
      if (reader.length == ElementReader.UNDEFINED) throw new NotScannable("an undefined length outside a sequence");
      if (!listed) {
        reader.skipValue();
        continue;
      }
      element(tag, vr, topLevel);
    }
    characterSet = inherited; // an item's own Specific Character Set ends with the item
    asciiDecodes = inheritedAscii;
  }

  private void sequence(int tag, boolean listed, int depth) throws IOException, NotScannable {
    long end = reader.length == ElementReader.UNDEFINED ? Long.MAX_VALUE : reader.position() + reader.length;
    if (listed) {
      JsonNames.startAttribute(json, tag, "SQ");
    }
    boolean opened = false;
    while (reader.position() < end) {
      if (!reader.next()) throw new NotScannable("the data set ends inside a sequence");
      if (reader.tag == ElementReader.SEQUENCE_DELIMITER) break;
      if (reader.tag != ElementReader.ITEM) throw new NotScannable("something other than an item in a sequence");
      if (listed && !opened) {
        JsonNames.startValue(json);
        opened = true;
      }
      if (listed) json.writeStartObject();
      long itemEnd = reader.length == ElementReader.UNDEFINED ? Long.MAX_VALUE : reader.position() + reader.length;
      if (listed) {
        dataSet(itemEnd, false, depth + 1);
      } else {
        skipItem(itemEnd);
      }
      if (listed) json.writeEndObject();
    }
    if (opened) json.writeEndArray();
    if (listed) json.writeEndObject();
  }

  private void skipItem(long end) throws IOException {
    if (end != Long.MAX_VALUE) {
      reader.skip(end - reader.position());
      return;
    }
    while (reader.next() && reader.tag != ElementReader.ITEM_DELIMITER) reader.skipValue();
  }

  /** One element with a defined length: its JSON entry, and its text when the index wants it. */
  private void element(int tag, String vr, boolean topLevel) throws IOException, NotScannable {
    long length = reader.length;
    int kind = VrKind.of(vr);
    if ((kind & VrKind.BINARY) != 0) {
      JsonNames.startAttribute(json, tag, vr);
      if (length > 0 && topLevel && length > INLINE_BINARY_LIMIT) {
        reader.skip(length);
        json.writeStringField("BulkDataURI", DicomJsonEncoder.bulkDataUri(tag));
      } else if (length > 0) {
        if (length > 1 << 20) throw new NotScannable("an inline " + vr + " value of " + length + " bytes");
        byte[] bytes = reader.value();
        if (bigEndian) ByteSwap.swap(bytes, bytes.length, ByteSwap.width(vr));
        json.writeStringField("InlineBinary", Base64.getEncoder().encodeToString(bytes));
      }
      json.writeEndObject();
      return;
    }
    if (length > 1 << 20) throw new NotScannable("a " + vr + " value of " + length + " bytes");
    byte[] bytes = reader.value();
    boolean text = (kind & VrKind.TEXT) != 0;
    List<?> values;
    if (text) {
      List<String> strings = strings(kind, bytes);
      if (tag == SPECIFIC_CHARACTER_SET) {
        characterSet = new SpecificCharacterSet(strings.toArray(String[]::new), bytes);
        asciiDecodes = strings.stream().noneMatch(v -> v.endsWith(" 13")); // JIS X 0201 puts ¥ where the backslash was
      }
      values = strings;
    } else {
      values = numbers(tag, vr, bytes);
    }
    if (topLevel && Arrays.binarySearch(wanted, tag) >= 0) {
      texts.put(tag, values.stream().map(String::valueOf).collect(Collectors.joining("\\")));
    }
    if (topLevel && tag == BITS_ALLOCATED && !values.isEmpty()) {
      bitsAllocated = Integer.parseInt(String.valueOf(values.get(0)));
    }
    if (topLevel && tag == PIXEL_REPRESENTATION && !values.isEmpty()) {
      pixelRepresentation = Integer.parseInt(String.valueOf(values.get(0)));
    }
    JsonNames.startAttribute(json, tag, vr);
    if (!values.isEmpty()) {
      JsonNames.startValue(json);
      for (Object value : values) {
        if (text) DicomJsonEncoder.writeString(json, vr, (String) value);
        else if (value instanceof Double d) DicomJsonEncoder.writeDouble(json, d);
        else if (value instanceof Long l) json.writeNumber(l);
        else if (value instanceof BigInteger i) json.writeNumber(i);
        else json.writeString((String) value); // AT
      }
      json.writeEndArray();
    }
    json.writeEndObject();
  }

  /** Decoded (with the Specific Character Set where it applies), split and trimmed as PixelMed does. */
  private List<String> strings(int kind, byte[] bytes) {
    if (bytes.length == 0) return List.of();
    String text = (kind & VrKind.CHARACTER_SET) != 0 && !(asciiDecodes && isPlainAscii(bytes))
        ? characterSet.translateByteArrayToString(bytes, 0, bytes.length)
        : new String(bytes, StandardCharsets.ISO_8859_1);
    List<String> values = new ArrayList<>();
    if ((kind & VrKind.SINGLE_VALUED) != 0) {
      values.add(text); // PixelMed keeps a text value's padding
      return values;
    }
    int from = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\\') {
        values.add(trim(text.substring(from, i)));
        from = i + 1;
      }
    }
    return values;
  }

  private static boolean isPlainAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0 || b == 0x1B) return false; // a high byte, or an ISO 2022 escape
    }
    return true;
  }

  /**
   * Binary numbers (PS3.5 7.3; big endian swapped first): Long, Double, BigInteger for a UV past
   * Long's range, and AT as a "GGGGEEEE" String (PS3.18 F.2.3.1).
   */
  private List<Object> numbers(int tag, String vr, byte[] b) throws NotScannable {
    int width = vr.equals("AT") ? 4 : ByteSwap.width(vr);
    if (width == 0) throw new NotScannable("VR " + vr + " of " + TagHex.display(tag));
    if (b.length % width != 0) throw new NotScannable("a " + vr + " value of " + b.length + " bytes");
    if (bigEndian) ByteSwap.swap(b, b.length, ByteSwap.width(vr));
    ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    List<Object> values = new ArrayList<>(b.length / width);
    while (in.hasRemaining()) {
      values.add(switch (vr) {
        case "US" -> (long) (in.getShort() & 0xFFFF);
        case "SS" -> (long) in.getShort();
        case "UL" -> in.getInt() & 0xFFFFFFFFL;
        case "SL" -> (long) in.getInt();
        case "SV" -> in.getLong();
        case "UV" -> {
          long v = in.getLong();
          yield v >= 0 ? (Object) v : new BigInteger(Long.toUnsignedString(v));
        }
        case "FL" -> (double) in.getFloat();
        case "FD" -> in.getDouble();
        default -> TagHex.of(in.getShort() & 0xFFFF, in.getShort() & 0xFFFF); // AT: group, then element
      });
    }
    return values;
  }

  /** PixelMed's padding rule: leading spaces, trailing spaces and NULs. */
  private static String trim(String value) {
    int from = 0;
    int to = value.length();
    while (from < to && value.charAt(from) == ' ') from++;
    while (to > from && (value.charAt(to - 1) == ' ' || value.charAt(to - 1) == 0)) to--;
    return value.substring(from, to);
  }
}
