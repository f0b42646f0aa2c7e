package dev.atrium;

import static dev.atrium.support.CodecFixtures.DEFLATED;
import static dev.atrium.support.CodecFixtures.EXPLICIT_BE;
import static dev.atrium.support.CodecFixtures.EXPLICIT_LE;
import static dev.atrium.support.CodecFixtures.IMPLICIT_LE;
import static dev.atrium.support.CodecFixtures.JPEG_BASELINE;
import static dev.atrium.support.CodecFixtures.JPEG_LOSSLESS;
import static dev.atrium.support.CodecFixtures.JPEG_LOSSLESS_SV1;
import static dev.atrium.support.CodecFixtures.JPEG_LS;
import static dev.atrium.support.CodecFixtures.J2K;
import static dev.atrium.support.CodecFixtures.J2K_LOSSLESS;
import static dev.atrium.support.CodecFixtures.RLE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.support.CodecFixtures;
import dev.atrium.support.Corpus;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.MultipartResponse;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * WADO-RS retrieve in other transfer syntaxes (PS3.18 8.7.3.5.2), Accept negotiation (8.7) and
 * metadata as PS3.19 XML, over real HTTP. Fixtures are made by dcmtk (dcmconv, dcmcjpeg, dcmcrle,
 * dcmcjpls) or come from pydicom's test files; decompressed pixel data must equal dcmtk's own
 * decompression (dcmdjpeg, dcmdrle, dcmdjpls), the lossless original, or pydicom's decoding.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WadoRetrieveContract extends ArchiveTest {
  private static final String DICOM_PARTS = "multipart/related; type=\"application/dicom\"";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String study = TestInstances.newUid();
  private final String series = TestInstances.newUid();
  /** JPEG-LS lives in a series of its own: no codec decodes it, so only that series cannot be transcoded. */
  private final String twelveBitSeries = TestInstances.newUid();
  /** So does a JPEG 2000 instance whose frame is found not to decode only when decoded. */
  private final String undecodableSeries = TestInstances.newUid();
  /** name → the stored file (its bytes as sent) and its UIDs. */
  private final Map<String, Stored> stored = new LinkedHashMap<>();
  private Path ct;

  private record Stored(Uids uids, Path file) {}

  @BeforeAll
  void storeOneInstancePerSyntax() throws Exception {
    ct = TestInstances.ct(work, uids());
    Path gray8 = CodecFixtures.multiFrame(work, uids(), 2, 40, 30, 8);
    Path d = Corpus.pydicomData().resolve("test_files");
    add("explicit", ct);
    for (var variant : CodecFixtures.inOtherNativeSyntaxes(ct, work).entrySet()) add(variant.getKey(), variant.getValue());
    add("rle", CodecFixtures.convert(ct, work, "dcmcrle"));
    add("jpegLosslessSv1", CodecFixtures.convert(ct, work, "dcmcjpeg", "+e1"));
    add("jpegLossless", CodecFixtures.convert(ct, work, "dcmcjpeg", "+el"));
    add("jpegBaselineGray", CodecFixtures.convert(gray8, work, "dcmcjpeg", "+eb"));
    add("jpegBaselineColor", d.resolve("SC_rgb_jpeg_dcmtk.dcm"));
    add("jpegBaselineYbr422", d.resolve("SC_rgb_dcmtk_+eb+cy+s2.dcm")); // chrominance subsampled
    add("jpegExtended12Bit", d.resolve("JPGExtended.dcm"));
    add("rleColor2Frames", d.resolve("SC_rgb_rle_2frame.dcm"));
    add("j2kLossless", d.resolve("MR_small_jp2klossless.dcm"));
    add("j2k", d.resolve("JPEG2000.dcm"));
    add("rtplan", d.resolve("rtplan.dcm"));
    add("jpegLs", CodecFixtures.convert(ct, work, "dcmcjpls"));
    Uids twelveBit = new Uids(study, twelveBitSeries, TestInstances.newUid());
    stored.put("colour12Bit", new Stored(twelveBit, CodecFixtures.twelveBitColourJpeg(work, twelveBit)));
    Uids undecodable = new Uids(study, undecodableSeries, TestInstances.newUid());
    stored.put("j2kUndecodable", new Stored(undecodable,
        CodecFixtures.withUids(d.resolve("JPEG2000-embedded-sequence-delimiter.dcm"), work, undecodable)));
    List<Path> files = stored.values().stream().map(Stored::file).toList();
    HttpResponse<String> response = Http.post(archive.dicomWeb() + "/studies", Multipart.CONTENT_TYPE,
        Multipart.body(files.toArray(Path[]::new)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(CodecFixtures.transferSyntax(file("rle"))).isEqualTo(RLE);
    assertThat(CodecFixtures.transferSyntax(file("jpegBaselineGray"))).isEqualTo(JPEG_BASELINE);
    assertThat(CodecFixtures.transferSyntax(file("deflated"))).isEqualTo(DEFLATED);
  }

  private Uids uids() {
    return new Uids(study, series, TestInstances.newUid());
  }

  private void add(String name, Path source) throws Exception {
    Uids uids = uids();
    stored.put(name, new Stored(uids, CodecFixtures.withUids(source, work, uids)));
  }

  private Path file(String name) {
    return stored.get(name).file();
  }

  // ---- as stored ----

  @Test
  void withoutATransferSyntaxOrWithStarTheStoredBytesComeBack() throws Exception {
    for (var entry : stored.entrySet()) {
      byte[] original = Files.readAllBytes(entry.getValue().file());
      String syntax = CodecFixtures.transferSyntax(entry.getValue().file());
      HttpResponse<byte[]> plain = instance(entry.getKey(), null);
      assertThat(plain.statusCode()).as(entry.getKey()).isEqualTo(200);
      MultipartResponse.Part part = MultipartResponse.parts(plain).get(0);
      assertThat(part.body()).as(entry.getKey() + " byte for byte").isEqualTo(original);
      assertThat(part.contentType()).isEqualTo("application/dicom; transfer-syntax=" + syntax);
      HttpResponse<byte[]> star = instance(entry.getKey(), "application/dicom; transfer-syntax=*");
      assertThat(star.body()).as(entry.getKey()).isEqualTo(original);
      assertThat(star.headers().firstValue("Content-Type")).hasValue("application/dicom; transfer-syntax=" + syntax);
    }
  }

  /** RFC 9110 9.3.2: HEAD answers as GET would, with the same status and header fields, and sends no content. */
  @Test
  void headAnswersAsGetWouldWithoutTheContent() throws Exception {
    HttpResponse<byte[]> get = instance("explicit", DICOM_PARTS);
    HttpResponse<byte[]> head = Http.head(url("explicit"), DICOM_PARTS);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(contentType(head)).startsWith(DICOM_PARTS);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(get.body().length);
    assertThat(head.body()).isEmpty();
    assertThat(Http.head(url("colour12Bit"), DICOM_PARTS + "; transfer-syntax=" + EXPLICIT_LE).statusCode())
        .isEqualTo(406);
    assertThat(Http.head(archive.dicomWeb() + "/studies/" + study + "/series/" + series + "/instances/"
        + TestInstances.newUid(), DICOM_PARTS).statusCode()).isEqualTo(404);
    assertThat(Http.head(archive.dicomWeb() + "/studies/" + study + "/metadata", null).statusCode()).isEqualTo(200);

    // A transcoded instance: the HEAD makes as much of the content as the GET holds back before its first byte, so
    // it has the GET's status (a frame that fails to decode is a 406 for both) and, for a body that small, the GET's
    // Content-Length (the multipart body's; the single one is sent chunked, without).
    for (String accept : List.of(DICOM_PARTS + "; transfer-syntax=" + EXPLICIT_LE,
        "application/dicom; transfer-syntax=" + EXPLICIT_LE)) {
      HttpResponse<byte[]> transcodedGet = instance("rleColor2Frames", accept);
      HttpResponse<byte[]> transcoded = Http.head(url("rleColor2Frames"), accept);
      assertThat(transcoded.statusCode()).as(accept).isEqualTo(200);
      assertThat(transcoded.headers().firstValue("Content-Length")).as(accept)
          .isEqualTo(transcodedGet.headers().firstValue("Content-Length"));
      assertThat(transcoded.body()).isEmpty();
      assertThat(Http.head(url("j2kUndecodable"), accept).statusCode()).as(accept).isEqualTo(406);
    }
    // Past what the GET holds back (1 MiB for a multipart body), the HEAD stops making the content: neither answer
    // declares a length, where the HEAD once transcoded the whole series to count it.
    String wholeSeries = archive.dicomWeb() + "/studies/" + study + "/series/" + series;
    String toExplicit = DICOM_PARTS + "; transfer-syntax=" + EXPLICIT_LE;
    HttpResponse<byte[]> seriesGet = Http.getBytes(wholeSeries, toExplicit);
    assertThat(seriesGet.body().length).isGreaterThan(1024 * 1024);
    HttpResponse<byte[]> seriesHead = Http.head(wholeSeries, toExplicit);
    assertThat(seriesHead.statusCode()).isEqualTo(200);
    assertThat(seriesGet.headers().firstValue("Content-Length")).isEmpty();
    assertThat(seriesHead.headers().firstValue("Content-Length")).isEmpty();
    // As stored, every part's size is known: the GET's length, whatever the size.
    HttpResponse<byte[]> storedSeriesGet = Http.getBytes(wholeSeries, DICOM_PARTS);
    HttpResponse<byte[]> storedSeriesHead = Http.head(wholeSeries, DICOM_PARTS);
    assertThat(storedSeriesHead.statusCode()).isEqualTo(200);
    assertThat(storedSeriesHead.headers().firstValueAsLong("Content-Length")).hasValue(storedSeriesGet.body().length);

    // Nothing follows the header fields on the connection: the next response on it comes next.
    assertNextResponseFollowsHead(url("explicit"), DICOM_PARTS);
    assertNextResponseFollowsHead(url("rleColor2Frames"), DICOM_PARTS + "; transfer-syntax=" + EXPLICIT_LE);
  }

  private void assertNextResponseFollowsHead(String url, String accept) throws Exception {
    String path = url.substring(archive.baseUrl().length());
    try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(archive.baseUrl().replaceAll(".*:", "")))) {
      socket.getOutputStream().write(("HEAD " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: " + accept + "\r\n\r\n"
          + "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String both = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(both).as(accept).startsWith("HTTP/1.1 200 ");
      String afterHead = both.substring(both.indexOf("\r\n\r\n") + 4);
      assertThat(afterHead).as(accept).startsWith("HTTP/1.1 200 ").endsWith("\"store\":\"UP\"}");
    }
  }

  // ---- between the native syntaxes ----

  @Test
  void nativeSyntaxesConvertLikeDcmconv() throws Exception {
    Map<String, String> dcmconvOption = Map.of(EXPLICIT_LE, "+te", IMPLICIT_LE, "+ti", EXPLICIT_BE, "+tb",
        DEFLATED, "+td");
    for (String source : List.of("explicit", "implicit", "bigEndian", "deflated", "rtplan")) {
      for (var target : dcmconvOption.entrySet()) {
        Path ours = transcoded(source, target.getKey());
        Path theirs = CodecFixtures.convert(file(source), work, "dcmconv", target.getValue());
        String what = source + " as " + target.getKey();
        assertThat(CodecFixtures.transferSyntax(ours)).as(what).isEqualTo(target.getKey());
        assertThat(CodecFixtures.normalizedDump(ours)).as(what).isEqualTo(CodecFixtures.normalizedDump(theirs));
        if (!source.equals("rtplan")) {
          assertThat(CodecFixtures.pixelData(ours)).as(what).isEqualTo(CodecFixtures.pixelData(theirs));
        }
      }
    }
  }

  // ---- decompression ----

  @Test
  void decompressedPixelDataEqualsDcmtksDecompression() throws Exception {
    Map<String, String> decompressor = Map.of("rle", "dcmdrle", "jpegLosslessSv1", "dcmdjpeg", "jpegLossless",
        "dcmdjpeg", "jpegBaselineGray", "dcmdjpeg", "jpegBaselineColor", "dcmdjpeg", "jpegBaselineYbr422", "dcmdjpeg",
        "rleColor2Frames", "dcmdrle", "jpegLs", "dcmdjpls", "jpegExtended12Bit", "dcmdjpeg");
    for (var entry : decompressor.entrySet()) {
      Path ours = transcoded(entry.getKey(), EXPLICIT_LE);
      Path theirs = CodecFixtures.convert(file(entry.getKey()), work, entry.getValue());
      assertThat(CodecFixtures.transferSyntax(ours)).as(entry.getKey()).isEqualTo(EXPLICIT_LE);
      assertThat(CodecFixtures.pixelData(ours)).as(entry.getKey() + " pixels").isEqualTo(CodecFixtures.pixelData(theirs));
      assertThat(CodecFixtures.decodedImage(ours)).as(entry.getKey()).isEqualTo(CodecFixtures.decodedImage(theirs));
    }
    assertThat(CodecFixtures.pixelData(transcoded("jpegLosslessSv1", EXPLICIT_LE)))
        .as("lossless: the original pixels").isEqualTo(CodecFixtures.pixelData(ct));
    assertThat(CodecFixtures.pixelData(transcoded("jpegLs", EXPLICIT_LE)))
        .as("JPEG-LS lossless: the original pixels").isEqualTo(CodecFixtures.pixelData(ct));
    // Decoded straight into the other native syntaxes too.
    assertThat(CodecFixtures.pixelData(transcoded("rle", EXPLICIT_BE))).isEqualTo(CodecFixtures.pixelData(ct));
    assertThat(CodecFixtures.pixelData(transcoded("jpegLossless", IMPLICIT_LE))).isEqualTo(CodecFixtures.pixelData(ct));
  }

  @Test
  void jpeg2000DecodesToTheLosslessOriginalAndToPydicomsPixels() throws Exception {
    Path lossless = transcoded("j2kLossless", EXPLICIT_LE);
    assertThat(CodecFixtures.pixelData(lossless))
        .isEqualTo(CodecFixtures.pixelData(Corpus.testFile("MR_small.dcm")));
    // Lossy JPEG 2000: the inverse wavelet is floating point; pydicom (Pillow/OpenJPEG) and
    // jai-imageio may round a sample differently, never by more than 1.
    short[] ours = shorts(CodecFixtures.pixelData(transcoded("j2k", EXPLICIT_LE)));
    Dcmtk.Result pydicom = Dcmtk.run(120, "/usr/bin/python3", "-c", "import pydicom, sys; "
        + "a = pydicom.dcmread(sys.argv[1]).pixel_array.astype('<i2'); print(','.join(map(str, a.ravel())))",
        file("j2k").toString());
    assertThat(pydicom.exitCode()).as(pydicom.output()).isZero();
    String[] theirs = pydicom.output().trim().split(",");
    assertThat(ours).hasSize(theirs.length);
    int worst = 0;
    for (int i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - Integer.parseInt(theirs[i])));
    assertThat(worst).as("largest difference from pydicom's decoding").isLessThanOrEqualTo(1);
  }

  // ---- what cannot be done: 406 naming the syntax ----

  @Test
  void whatCannotBeTranscodedIs406NamingTheSyntax() throws Exception {
    HttpResponse<byte[]> twelveBit = instance("colour12Bit", "application/dicom; transfer-syntax=" + EXPLICIT_LE);
    assertThat(twelveBit.statusCode()).isEqualTo(406);
    assertThat(new String(twelveBit.body(), StandardCharsets.UTF_8)).contains("12-bit colour")
        .contains("1.2.840.10008.1.2.4.51");
    HttpResponse<byte[]> compress = instance("explicit", DICOM_PARTS + "; transfer-syntax=" + JPEG_BASELINE);
    assertThat(compress.statusCode()).as("the archive does not compress").isEqualTo(406);
    assertThat(new String(compress.body(), StandardCharsets.UTF_8)).contains("JPEG Baseline").contains(JPEG_BASELINE);

    // A study with a 12-bit lossy colour JPEG instance cannot be sent decompressed; its other series can.
    HttpResponse<byte[]> wholeStudy = Http.getBytes(archive.dicomWeb() + "/studies/" + study,
        DICOM_PARTS + "; transfer-syntax=" + EXPLICIT_LE);
    assertThat(wholeStudy.statusCode()).isEqualTo(406);
    assertThat(new String(wholeStudy.body(), StandardCharsets.UTF_8)).contains("1.2.840.10008.1.2.4.51");
  }

  @Test
  void aFrameThatFailsToDecodeIs406AndNeverABodyCutShort() throws Exception {
    // The checks before a response pass (a JPEG 2000 codestream); its frame fails only when decoded. The response
    // holds back its first bytes, so the failure is still a 406, not a 200 whose Pixel Data breaks off.
    String toExplicit = "; transfer-syntax=" + EXPLICIT_LE;
    for (String accept : List.of("application/dicom" + toExplicit, DICOM_PARTS + toExplicit)) {
      HttpResponse<byte[]> response = instance("j2kUndecodable", accept);
      assertThat(response.statusCode()).as(accept).isEqualTo(406);
      assertThat(new String(response.body(), StandardCharsets.UTF_8)).as(accept).contains("decode");
    }
    Uids uids = stored.get("j2kUndecodable").uids();
    HttpResponse<byte[]> series = Http.getBytes(archive.dicomWeb() + "/studies/" + study + "/series/"
        + uids.series(), DICOM_PARTS + toExplicit);
    assertThat(series.statusCode()).isEqualTo(406);
    HttpResponse<byte[]> frame = Http.getBytes(url("j2kUndecodable") + "/frames/1",
        "multipart/related; type=\"application/octet-stream\"" + toExplicit);
    assertThat(frame.statusCode()).isEqualTo(406);
    HttpResponse<byte[]> wadoUri = Http.getBytes(archive.baseUrl() + "/wado?requestType=WADO&studyUID=" + study
        + "&seriesUID=" + uids.series() + "&objectUID=" + uids.sop() + "&contentType=application/dicom"
        + "&transferSyntax=" + EXPLICIT_LE, "*/*");
    assertThat(wadoUri.statusCode()).isEqualTo(406);

    HttpResponse<byte[]> asStored = instance("j2kUndecodable", "application/dicom");
    assertThat(asStored.statusCode()).isEqualTo(200);
    assertThat(asStored.body()).isEqualTo(Files.readAllBytes(file("j2kUndecodable")));
  }

  @Test
  void aSeriesComesBackTranscodedPartByPart() throws Exception {
    long inSeries = stored.values().stream().filter(s -> s.uids().series().equals(series)).count();
    HttpResponse<byte[]> ok = Http.getBytes(archive.dicomWeb() + "/studies/" + study + "/series/" + series,
        DICOM_PARTS + "; transfer-syntax=" + EXPLICIT_LE);
    assertThat(ok.statusCode()).isEqualTo(200);
    List<MultipartResponse.Part> parts = MultipartResponse.parts(ok);
    assertThat(parts).hasSize((int) inSeries);
    for (MultipartResponse.Part part : parts) {
      assertThat(part.contentType()).isEqualTo("application/dicom; transfer-syntax=" + EXPLICIT_LE);
      Path received = Files.write(Files.createTempFile(work, "part", ".dcm"), part.body());
      assertThat(CodecFixtures.transferSyntax(received)).isEqualTo(EXPLICIT_LE);
      assertThat(Dcmtk.run(60, "dcmdump", "-q", received.toString()).exitCode()).isZero();
    }
  }

  // ---- Accept negotiation (PS3.18 8.7) ----

  @Test
  void acceptHeadersAreNegotiatedByQValue() throws Exception {
    assertThat(contentType(instance("explicit", "application/dicom; q=0.5, " + DICOM_PARTS + "; q=0.9")))
        .startsWith("multipart/related");
    assertThat(contentType(instance("explicit", DICOM_PARTS + "; q=0.2, application/dicom")))
        .isEqualTo("application/dicom; transfer-syntax=" + EXPLICIT_LE);
    assertThat(contentType(instance("explicit", "*/*"))).startsWith("multipart/related");
    // The preferred range asks for a syntax that cannot be produced; the next one is served.
    HttpResponse<byte[]> fallback = instance("explicit", DICOM_PARTS + "; transfer-syntax=" + JPEG_LS + "; q=0.9, "
        + DICOM_PARTS + "; transfer-syntax=" + IMPLICIT_LE + "; q=0.8, application/dicom; q=0.1");
    assertThat(MultipartResponse.parts(fallback).get(0).contentType())
        .isEqualTo("application/dicom; transfer-syntax=" + IMPLICIT_LE);
    HttpResponse<byte[]> single = instance("rle", "multipart/related; type=\"application/dicom\"; "
        + "transfer-syntax=1.2.840.10008.1.2.4.80, application/dicom; transfer-syntax=1.2.840.10008.1.2.1; q=0.3");
    assertThat(contentType(single)).isEqualTo("application/dicom; transfer-syntax=" + EXPLICIT_LE);
    assertThat(CodecFixtures.pixelData(Files.write(Files.createTempFile(work, "single", ".dcm"), single.body())))
        .isEqualTo(CodecFixtures.pixelData(ct));

    HttpResponse<byte[]> png = instance("explicit", "image/png");
    assertThat(png.statusCode()).isEqualTo(406);
    assertThat(new String(png.body(), StandardCharsets.UTF_8)).contains("image/png").contains("application/dicom");
    assertThat(instance("explicit", "application/dicom; q=0").statusCode()).as("q=0 is not acceptable").isEqualTo(406);
    String studyUrl = archive.dicomWeb() + "/studies/" + study;
    HttpResponse<byte[]> studyAsOne = Http.getBytes(studyUrl, "application/dicom");
    assertThat(studyAsOne.statusCode()).isEqualTo(406);
    assertThat(new String(studyAsOne.body(), StandardCharsets.UTF_8)).contains("multipart/related");
    assertThat(Http.getBytes(studyUrl + "/series/" + twelveBitSeries, "application/dicom, " + DICOM_PARTS + "; q=0.5")
        .statusCode()).as("the multipart range is taken when the single one cannot be").isEqualTo(200);
  }

  // ---- metadata as PS3.19 XML ----

  @Test
  void metadataAsNativeDicomModelXmlCarriesWhatTheJsonCarries() throws Exception {
    String instanceUrl = url("explicit");
    HttpResponse<byte[]> xml = Http.getBytes(instanceUrl + "/metadata", "multipart/related; type=\"application/dicom+xml\"");
    assertThat(xml.statusCode()).isEqualTo(200);
    assertThat(xml.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("multipart/related; type=\"application/dicom+xml\"");
    List<MultipartResponse.Part> parts = MultipartResponse.parts(xml);
    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).contentType()).isEqualTo("application/dicom+xml");
    Element root = parseXml(parts.get(0).body());
    assertThat(root.getTagName()).isEqualTo("NativeDicomModel");
    JsonNode json = JSON.readTree(Http.get(instanceUrl + "/metadata", null).body()).get(0);
    List<String> xmlTags = new ArrayList<>();
    NodeList top = root.getChildNodes();
    for (int i = 0; i < top.getLength(); i++) xmlTags.add(((Element) top.item(i)).getAttribute("tag"));
    List<String> jsonTags = new ArrayList<>();
    json.fieldNames().forEachRemaining(jsonTags::add);
    assertThat(xmlTags).as("the same attributes as the JSON, in the same order").isEqualTo(jsonTags);
    Element name = attribute(root, "00100010");
    assertThat(name.getAttribute("keyword")).isEqualTo("PatientName");
    assertThat(name.getElementsByTagName("FamilyName").item(0).getTextContent()).isEqualTo("CompressedSamples");
    assertThat(attribute(root, "00280010").getElementsByTagName("Value").item(0).getTextContent()).isEqualTo("128");
    Element pixels = (Element) attribute(root, "7FE00010").getElementsByTagName("BulkData").item(0);
    assertThat(pixels.getAttribute("uri")).isEqualTo(json.get("7FE00010").get("BulkDataURI").asText());

    // Sequences become Items; a study's instances one part each.
    HttpResponse<byte[]> studyXml = Http.getBytes(archive.dicomWeb() + "/studies/" + study + "/metadata",
        "application/dicom+json; q=0.5, multipart/related; type=\"application/dicom+xml\"");
    assertThat(MultipartResponse.parts(studyXml)).hasSize(stored.size());
    HttpResponse<byte[]> plan = Http.getBytes(url("rtplan") + "/metadata",
        "multipart/related; type=\"application/dicom+xml\"");
    Element planRoot = parseXml(MultipartResponse.parts(plan).get(0).body());
    Element fractionGroups = attribute(planRoot, "300A0070");
    assertThat(fractionGroups.getAttribute("vr")).isEqualTo("SQ");
    assertThat(((Element) fractionGroups.getElementsByTagName("Item").item(0)).getAttribute("number")).isEqualTo("1");

    assertThat(Http.get(instanceUrl + "/metadata", "multipart/related; type=\"application/dicom+xml\"; q=0.4, "
        + "application/dicom+json").headers().firstValue("Content-Type")).hasValue("application/dicom+json");
    HttpResponse<String> png = Http.get(instanceUrl + "/metadata", "image/png");
    assertThat(png.statusCode()).isEqualTo(406);
    assertThat(png.body()).contains("application/dicom+xml");
  }

  @Test
  void bulkDataNegotiatesItsPackaging() throws Exception {
    String uri = url("explicit") + "/bulkdata/7FE00010";
    byte[] pixels = CodecFixtures.pixelData(ct);
    HttpResponse<byte[]> multipart = Http.getBytes(uri, "multipart/related; type=\"application/octet-stream\"");
    assertThat(MultipartResponse.bodies(multipart)).containsExactly(pixels);
    HttpResponse<byte[]> single = Http.getBytes(uri, "application/octet-stream");
    assertThat(single.headers().firstValue("Content-Type")).hasValue("application/octet-stream; transfer-syntax="
        + EXPLICIT_LE);
    assertThat(single.body()).isEqualTo(pixels);
    assertThat(Http.getBytes(uri, "image/jpeg").statusCode()).isEqualTo(406);
  }

  /**
   * Bulk data goes out in Explicit VR Little Endian unless asked as stored (PS3.18 8.7.3.5.2): a big endian instance's
   * words are turned around, a deflated data set inflated. Both BulkDataURIs were answered 406 to a viewer's default
   * request, and the deflated one to every request.
   */
  @Test
  void bulkDataIsLittleEndianUnlessAskedAsStored() throws Exception {
    String octets = "multipart/related; type=\"application/octet-stream\"";
    String uri = url("explicit") + "/bulkdata/7FE00010";
    byte[] pixels = CodecFixtures.pixelData(ct);
    for (String syntax : List.of(EXPLICIT_LE, "1.2.840.10008.1.2", "*")) {
      HttpResponse<byte[]> response = Http.getBytes(uri, octets + "; transfer-syntax=" + syntax);
      assertThat(MultipartResponse.bodies(response)).as(syntax).containsExactly(pixels);
    }
    HttpResponse<byte[]> bigEndian = Http.getBytes(uri, octets + "; transfer-syntax=1.2.840.10008.1.2.2");
    assertThat(bigEndian.statusCode()).as("not converted to big endian").isEqualTo(406);
    assertThat(new String(bigEndian.body(), StandardCharsets.UTF_8)).contains("1.2.840.10008.1.2.2");
    assertThat(Http.getBytes(uri, octets + "; transfer-syntax=1.2.840.10008.1.2.4.50").statusCode()).isEqualTo(406);

    String storedBigEndian = url("bigEndian") + "/bulkdata/7FE00010";
    for (String accept : List.of(octets, octets + "; transfer-syntax=" + EXPLICIT_LE, "application/octet-stream")) {
      HttpResponse<byte[]> converted = Http.getBytes(storedBigEndian, accept);
      assertThat(converted.statusCode()).as(accept).isEqualTo(200);
      assertThat(accept.startsWith("multipart") ? MultipartResponse.bodies(converted).get(0) : converted.body())
          .as(accept).isEqualTo(pixels);
    }
    HttpResponse<byte[]> asStored = Http.getBytes(storedBigEndian, octets + "; transfer-syntax=*");
    byte[] swapped = pixels.clone(); // the CT's 16-bit words, most significant byte first
    for (int i = 0; i + 1 < swapped.length; i += 2) {
      swapped[i] = pixels[i + 1];
      swapped[i + 1] = pixels[i];
    }
    assertThat(MultipartResponse.bodies(asStored)).as("as stored: big endian").containsExactly(swapped);
    assertThat(MultipartResponse.parts(asStored).get(0).contentType())
        .isEqualTo("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.2");

    HttpResponse<byte[]> inflated = Http.getBytes(url("deflated") + "/bulkdata/7FE00010", octets);
    assertThat(inflated.statusCode()).isEqualTo(200);
    assertThat(MultipartResponse.bodies(inflated)).containsExactly(pixels);
  }

  @Test
  void theBulkDataUriOfCompressedPixelDataGivesItsFramesAsFramesDoes() throws Exception {
    String rle = "multipart/related; type=\"image/dicom-rle\"";
    String octets = "multipart/related; type=\"application/octet-stream\"";
    for (String accept : List.of(rle, octets)) {
      HttpResponse<byte[]> bulk = Http.getBytes(url("rleColor2Frames") + "/bulkdata/7FE00010", accept);
      HttpResponse<byte[]> frames = Http.getBytes(url("rleColor2Frames") + "/frames/1,2", accept);
      assertThat(bulk.statusCode()).as(accept).isEqualTo(200);
      assertThat(MultipartResponse.bodies(bulk)).as(accept).hasSize(2)
          .containsExactlyElementsOf(MultipartResponse.bodies(frames));
    }
  }

  // ---- helpers ----

  private String url(String name) {
    Uids u = stored.get(name).uids();
    return archive.dicomWeb() + "/studies/" + u.study() + "/series/" + u.series() + "/instances/" + u.sop();
  }

  private HttpResponse<byte[]> instance(String name, String accept) throws Exception {
    return Http.getBytes(url(name), accept);
  }

  /** Retrieves an instance as one application/dicom body in the syntax and keeps it as a file. */
  private Path transcoded(String name, String syntax) throws Exception {
    HttpResponse<byte[]> response = instance(name, "application/dicom; transfer-syntax=" + syntax);
    assertThat(response.statusCode()).as(name + " as " + syntax + ": " + new String(response.body(),
        StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/dicom; transfer-syntax=" + syntax);
    return Files.write(Files.createTempFile(work, name, ".dcm"), response.body());
  }

  private static String contentType(HttpResponse<byte[]> response) {
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return response.headers().firstValue("Content-Type").orElseThrow();
  }

  private static short[] shorts(byte[] littleEndian) {
    short[] values = new short[littleEndian.length / 2];
    ByteBuffer.wrap(littleEndian).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(values);
    return values;
  }

  private static Element parseXml(byte[] xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setIgnoringElementContentWhitespace(true);
    Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    return document.getDocumentElement();
  }

  private static Element attribute(Element dataSet, String tag) {
    NodeList children = dataSet.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      if (children.item(i) instanceof Element e && tag.equals(e.getAttribute("tag"))) return e;
    }
    throw new AssertionError("no attribute " + tag);
  }
}
