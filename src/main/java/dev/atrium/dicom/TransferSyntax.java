package dev.atrium.dicom;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a transfer syntax (PS3.5 A, PS3.6 Table A-1) means for reading and re-encoding a data set,
 * and which media type its frames have in DICOMweb (PS3.18 8.7.3.5, Table 8.7.3-5). A standard
 * syntax we do not list is treated as encapsulated explicit VR little endian, the rule for
 * every compressed syntax.
 */
public record TransferSyntax(String uid, String name, boolean explicitVr, boolean littleEndian, boolean deflated,
    boolean encapsulated, String frameMediaType) {

  public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
  public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
  public static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
  public static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
  public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
  public static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
  public static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
  public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
  public static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
  public static final String JPEG_LS_NEAR_LOSSLESS = "1.2.840.10008.1.2.4.81";
  public static final String JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
  public static final String JPEG_2000 = "1.2.840.10008.1.2.4.91";
  public static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

  public static final String OCTET_STREAM = "application/octet-stream";
  /** Frames that are not pictures one by one (MPEG, HEVC: the whole stream is one video). */
  public static final String VIDEO = "video/*";

  private static final Map<String, TransferSyntax> KNOWN = new LinkedHashMap<>();

  static {
    nativeSyntax(IMPLICIT_VR_LITTLE_ENDIAN, "Implicit VR Little Endian", false, true, false);
    nativeSyntax(EXPLICIT_VR_LITTLE_ENDIAN, "Explicit VR Little Endian", true, true, false);
    nativeSyntax(DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, "Deflated Explicit VR Little Endian", true, true, true);
    nativeSyntax(EXPLICIT_VR_BIG_ENDIAN, "Explicit VR Big Endian", true, false, false);
    encapsulated(JPEG_BASELINE, "JPEG Baseline (Process 1)", "image/jpeg");
    encapsulated(JPEG_EXTENDED, "JPEG Extended (Process 2 & 4)", "image/jpeg");
    encapsulated(JPEG_LOSSLESS, "JPEG Lossless, Non-Hierarchical (Process 14)", "image/jpeg");
    encapsulated(JPEG_LOSSLESS_SV1, "JPEG Lossless, Non-Hierarchical, First-Order Prediction", "image/jpeg");
    encapsulated(JPEG_LS_LOSSLESS, "JPEG-LS Lossless", "image/jls");
    encapsulated(JPEG_LS_NEAR_LOSSLESS, "JPEG-LS Lossy (Near-Lossless)", "image/jls");
    encapsulated(JPEG_2000_LOSSLESS, "JPEG 2000 (Lossless Only)", "image/jp2");
    encapsulated(JPEG_2000, "JPEG 2000", "image/jp2");
    encapsulated("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)", "image/jpx");
    encapsulated("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component", "image/jpx");
    encapsulated("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)", "image/jphc");
    encapsulated("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)",
        "image/jphc");
    encapsulated("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", "image/jphc");
    encapsulated(RLE_LOSSLESS, "RLE Lossless", "image/dicom-rle");
    for (String video : new String[] {"100", "101", "102", "103", "104", "105", "106", "107", "108"}) {
      encapsulated("1.2.840.10008.1.2.4." + video, "MPEG/HEVC video 1.2.840.10008.1.2.4." + video, VIDEO);
    }
  }

  private static void nativeSyntax(String uid, String name, boolean explicit, boolean little, boolean deflated) {
    KNOWN.put(uid, new TransferSyntax(uid, name, explicit, little, deflated, false, OCTET_STREAM));
  }

  private static void encapsulated(String uid, String name, String mediaType) {
    KNOWN.put(uid, new TransferSyntax(uid, name, true, true, false, true, mediaType));
  }

  /** The syntax's facts; an unlisted one is encapsulated explicit VR little endian (PS3.5 A.4). */
  public static TransferSyntax of(String uid) {
    TransferSyntax known = KNOWN.get(uid);
    return known != null ? known : new TransferSyntax(uid, uid, true, true, false, true, OCTET_STREAM);
  }

  /** Pixel data in this syntax is native (not encapsulated): implicit/explicit LE, BE, deflated. */
  public static boolean isNative(String uid) {
    TransferSyntax known = KNOWN.get(uid);
    return known != null && !known.encapsulated();
  }

  /** "JPEG Baseline (Process 1) 1.2.840.10008.1.2.4.50": for messages a person reads. */
  public String describe() {
    return name.equals(uid) ? "transfer syntax " + uid : name + " (" + uid + ")";
  }

  /** The default transfer syntax of a frame media type (PS3.18 Table 8.7.3-5), or null. */
  public static String defaultForFrameMediaType(String mediaType) {
    return switch (mediaType) {
      case OCTET_STREAM -> EXPLICIT_VR_LITTLE_ENDIAN;
      case "image/jpeg" -> JPEG_BASELINE;
      case "image/jls" -> JPEG_LS_LOSSLESS;
      case "image/jp2" -> JPEG_2000_LOSSLESS;
      case "image/jpx" -> "1.2.840.10008.1.2.4.92";
      case "image/jphc" -> "1.2.840.10008.1.2.4.201";
      case "image/dicom-rle" -> RLE_LOSSLESS;
      default -> null;
    };
  }
}
