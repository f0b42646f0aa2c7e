package dev.atrium.support;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fixtures in other transfer syntaxes, made by the real tools (dcmtk's dcmconv, dcmcjpeg,
 * dcmcrle, dcmcjpls), and what tests compare them with: Pixel Data as little endian bytes.
 */
public final class CodecFixtures {
  public static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
  public static final String IMPLICIT_LE = "1.2.840.10008.1.2";
  public static final String EXPLICIT_BE = "1.2.840.10008.1.2.2";
  public static final String DEFLATED = "1.2.840.10008.1.2.1.99";
  public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
  public static final String JPEG_EXTENDED = "1.2.840.10008.1.2.4.51";
  public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
  public static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
  public static final String JPEG_LS = "1.2.840.10008.1.2.4.80";
  public static final String J2K_LOSSLESS = "1.2.840.10008.1.2.4.90";
  public static final String J2K = "1.2.840.10008.1.2.4.91";
  public static final String RLE = "1.2.840.10008.1.2.5";

  private CodecFixtures() {}

  /** Runs a dcmtk converter ({@code tool options… in out}) and returns the new file. */
  public static Path convert(Path in, Path dir, String tool, String... options) throws Exception {
    Path out = Files.createTempFile(dir, tool, ".dcm");
    List<String> command = new ArrayList<>(List.of(tool));
    command.addAll(Arrays.asList(options));
    command.add(in.toString());
    command.add(out.toString());
    Dcmtk.Result result = Dcmtk.run(60, command);
    if (result.exitCode() != 0) throw new IllegalStateException(String.join(" ", command) + ": " + result.output());
    return out;
  }

  /** The file in the other native syntaxes, by dcmconv: "implicit", "bigEndian", "deflated". */
  public static java.util.Map<String, Path> inOtherNativeSyntaxes(Path explicitLittleEndian, Path dir) throws Exception {
    java.util.Map<String, Path> files = new java.util.LinkedHashMap<>();
    files.put("implicit", convert(explicitLittleEndian, dir, "dcmconv", "+ti"));
    files.put("bigEndian", convert(explicitLittleEndian, dir, "dcmconv", "+tb"));
    files.put("deflated", convert(explicitLittleEndian, dir, "dcmconv", "+td"));
    return files;
  }

  /** A copy of any PS3.10 file with new UIDs, keeping its transfer syntax and encoding (dcmodify). */
  public static Path withUids(Path source, Path dir, TestInstances.Uids uids) throws Exception {
    return withValues(source, dir, uids, java.util.Map.of());
  }

  /** As {@link #withUids}, with other elements set (added or replaced) too: "(gggg,eeee)" to value. */
  public static Path withValues(Path source, Path dir, TestInstances.Uids uids, java.util.Map<String, String> values)
      throws Exception {
    Path out = Files.createTempFile(dir, "uids", ".dcm");
    Files.copy(source, out, StandardCopyOption.REPLACE_EXISTING);
    List<String> command = new ArrayList<>(List.of("dcmodify", "-nb", "-m", "(0020,000d)=" + uids.study(), "-m",
        "(0020,000e)=" + uids.series(), "-m", "(0008,0018)=" + uids.sop()));
    values.forEach((tag, value) -> command.addAll(List.of("-i", tag + "=" + value))); // inserted or replaced
    command.add(out.toString());
    Dcmtk.Result result = Dcmtk.run(60, command);
    if (result.exitCode() != 0) throw new IllegalStateException("dcmodify: " + result.output());
    return out;
  }

  /**
   * A native multi-frame instance (explicit VR little endian, Multi-frame Grayscale Word or Byte
   * Secondary Capture) whose frames all differ: sample = frame * 37 + x * 3 + y * 5 (12 or 8 bits).
   */
  public static Path multiFrame(Path dir, TestInstances.Uids uids, int frames, int rows, int columns, int bits)
      throws Exception {
    AttributeList list = new AttributeList();
    list.read(Corpus.testFile("CT_small.dcm").toFile());
    for (AttributeTag tag : new AttributeTag[] {TagFromName.PixelData, TagFromName.SmallestImagePixelValue,
        TagFromName.LargestImagePixelValue, TagFromName.RescaleIntercept, TagFromName.RescaleSlope,
        TagFromName.WindowCenter, TagFromName.WindowWidth}) {
      list.remove(tag);
    }
    list.removeGroupLengthAttributes();
    list.removeMetaInformationHeaderAttributes();
    set(list, TagFromName.SOPClassUID, bits == 8 ? "1.2.840.10008.5.1.4.1.1.7.2" : "1.2.840.10008.5.1.4.1.1.7.3");
    set(list, TagFromName.StudyInstanceUID, uids.study());
    set(list, TagFromName.SeriesInstanceUID, uids.series());
    set(list, TagFromName.SOPInstanceUID, uids.sop());
    set(list, TagFromName.NumberOfFrames, String.valueOf(frames));
    set(list, TagFromName.Rows, String.valueOf(rows));
    set(list, TagFromName.Columns, String.valueOf(columns));
    set(list, TagFromName.SamplesPerPixel, "1");
    set(list, TagFromName.PhotometricInterpretation, "MONOCHROME2");
    set(list, TagFromName.BitsAllocated, String.valueOf(bits == 8 ? 8 : 16));
    set(list, TagFromName.BitsStored, String.valueOf(bits));
    set(list, TagFromName.HighBit, String.valueOf(bits - 1));
    set(list, TagFromName.PixelRepresentation, "0");
    int mask = (1 << bits) - 1;
    int samples = frames * rows * columns;
    if (bits == 8) {
      byte[] pixels = new byte[samples];
      fill(frames, rows, columns, mask, (i, v) -> pixels[i] = (byte) v);
      Attribute a = new OtherByteAttribute(TagFromName.PixelData);
      a.setValues(pixels);
      return writeExplicitLittleEndian(list, a, dir, "multiframe");
    }
    short[] pixels = new short[samples];
    fill(frames, rows, columns, mask, (i, v) -> pixels[i] = (short) v);
    return writeExplicitLittleEndian(list, words(pixels), dir, "multiframe");
  }

  private static Attribute words(short[] pixels) throws Exception {
    Attribute a = new OtherWordAttribute(TagFromName.PixelData);
    a.setValues(pixels);
    return a;
  }

  /** The data set with this Pixel Data, as a PS3.10 file in explicit VR little endian. */
  private static Path writeExplicitLittleEndian(AttributeList list, Attribute pixelData, Path dir, String prefix)
      throws Exception {
    list.put(pixelData);
    FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "ATRIUMTEST");
    Path out = Files.createTempFile(dir, prefix, ".dcm");
    list.write(out.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    return out;
  }

  /**
   * A 12-bit lossy colour JPEG (JPEG Extended, YBR_FULL_422, by dcmcjpeg +ee from a 24x20 RGB of 12-bit samples): a
   * syntax and sample depth no codec in the archive decodes (ours takes one component), for the tests of what cannot be
   * transcoded or rendered.
   */
  public static Path twelveBitColourJpeg(Path dir, TestInstances.Uids uids) throws Exception {
    Path gray = multiFrame(dir, uids, 1, 24, 20, 12);
    AttributeList list = read(gray);
    list.removeMetaInformationHeaderAttributes();
    set(list, TagFromName.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
    set(list, TagFromName.SamplesPerPixel, "3");
    set(list, TagFromName.PhotometricInterpretation, "RGB");
    set(list, TagFromName.PlanarConfiguration, "0");
    list.remove(TagFromName.NumberOfFrames);
    short[] pixels = new short[24 * 20 * 3];
    for (int i = 0; i < 24 * 20; i++) {
      int x = i % 20;
      int y = i / 20;
      pixels[3 * i] = (short) ((x * 150 + y * 20) & 0xFFF);
      pixels[3 * i + 1] = (short) ((y * 170) & 0xFFF);
      pixels[3 * i + 2] = (short) ((x * y * 9) & 0xFFF);
    }
    Path rgb = writeExplicitLittleEndian(list, words(pixels), dir, "rgb12");
    return convert(rgb, dir, "dcmcjpeg", "+ee", "+un"); // +un: keep the UIDs (lossy would get a new one)
  }

  private interface Sink {
    void put(int index, int value);
  }

  private static void fill(int frames, int rows, int columns, int mask, Sink sink) {
    int i = 0;
    for (int f = 0; f < frames; f++) {
      for (int y = 0; y < rows; y++) {
        for (int x = 0; x < columns; x++) sink.put(i++, (f * 37 + x * 3 + y * 5) & mask);
      }
    }
  }

  /** The Pixel Data value of a native file as little endian bytes (PixelMed reads any native syntax). */
  public static byte[] pixelData(Path file) throws Exception {
    AttributeList list = new AttributeList();
    list.read(file.toFile());
    return list.get(TagFromName.PixelData).getByteValues(false);
  }

  /** A whole attribute list, for comparing values other than Pixel Data. */
  private static AttributeList read(Path file) throws Exception {
    AttributeList list = new AttributeList();
    list.read(file.toFile());
    return list;
  }

  /**
   * What a decompressed copy must share with another decoder's (dcmdjpeg, dcmdrle): the Pixel Data
   * and the attributes that describe it, by name.
   */
  public static java.util.Map<String, String> decodedImage(Path file) throws Exception {
    AttributeList list = read(file);
    java.util.Map<String, String> image = new java.util.LinkedHashMap<>();
    for (AttributeTag tag : List.of(TagFromName.PhotometricInterpretation, TagFromName.Rows, TagFromName.Columns,
        TagFromName.BitsAllocated, TagFromName.SamplesPerPixel, TagFromName.NumberOfFrames,
        TagFromName.SOPInstanceUID)) {
      image.put(list.getDictionary().getNameFromTag(tag), value(list, tag));
    }
    image.put("PixelData", java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(list.get(TagFromName.PixelData).getByteValues(false))));
    return image;
  }

  private static String value(AttributeList list, AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
  }

  public static String transferSyntax(Path file) throws Exception {
    AttributeList list = new AttributeList();
    list.readOnlyMetaInformationHeader(file.toFile());
    return value(list, TagFromName.TransferSyntaxUID);
  }

  /**
   * The encapsulated items of a compressed file as dcmdump writes them (+W): the Basic Offset
   * Table first, then each fragment.
   */
  public static List<byte[]> items(Path file, Path dir) throws Exception {
    Path out = Files.createTempDirectory(dir, "items");
    Dcmtk.Result result = Dcmtk.run(60, "dcmdump", "-q", "+W", out.toString(), file.toString());
    if (result.exitCode() != 0) throw new IllegalStateException("dcmdump +W: " + result.output());
    List<byte[]> items = new ArrayList<>();
    for (int i = 0; ; i++) {
      Path item = out.resolve(file.getFileName() + "." + i + ".raw");
      if (!Files.exists(item)) return items;
      items.add(Files.readAllBytes(item));
    }
  }

  /**
   * dcmdump of the data set with what legitimately differs after re-encoding taken out: meta
   * information, group lengths, delimiters, sequence length forms, and the VR and value of private
   * elements read from implicit VR (dcmtk knows vendors' private dictionaries; Atrium writes UN,
   * PS3.5 6.2.2).
   */
  public static String normalizedDump(Path file) throws IOException, InterruptedException {
    Dcmtk.Result result = Dcmtk.run(60, "dcmdump", "-q", "+L", "-M", file.toString());
    StringBuilder kept = new StringBuilder();
    for (String line : result.output().split("\n")) {
      if (line.startsWith("#") || line.isBlank() || line.contains("Delimitation") || line.startsWith("(0002,")
          || line.matches("\\s*\\([0-9a-f]{4},0000\\).*")) {
        continue; // meta information, group lengths, delimiters: rewritten by design
      }
      String normalized = line.replaceAll("#.*", "").replaceAll("\\((Sequence|Item) with .*", "($1").stripTrailing();
      if (normalized.matches("\\s*\\([0-9a-f]{3}[13579bdf],.*")) normalized = normalized.replaceAll("\\).*", ")");
      kept.append(normalized).append('\n');
    }
    return kept.toString();
  }

  private static void set(AttributeList list, AttributeTag tag, String value) throws Exception {
    list.remove(tag);
    list.putNewAttribute(tag).addValue(value);
  }
}
