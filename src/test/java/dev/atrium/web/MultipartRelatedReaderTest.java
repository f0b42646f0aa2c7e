package dev.atrium.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartRelatedReaderTest {
  private static final String B = "b0undary";

  @Test
  void splitsPartsWhateverTheReadSizesAndKeepsBinaryBodiesIntact() throws Exception {
    Random random = new Random(42);
    List<byte[]> bodies = new ArrayList<>();
    for (int size : new int[] {0, 1, 70_000, 131_072, 200_003}) {
      byte[] body = new byte[size];
      random.nextBytes(body);
      bodies.add(body);
    }
    // A body that contains a near-miss of the delimiter must survive.
    bodies.add(("\r\n--" + B.substring(0, 5) + "\r\n--" + B.substring(0, 7) + "X\r\n").getBytes(StandardCharsets.ISO_8859_1));
    byte[] message = message("preamble to ignore\r\n", bodies, "epilogue");

    for (int chunk : new int[] {1, 7, 4096, 1 << 20}) {
      List<byte[]> read = readAll(new ChunkedInput(message, chunk));
      assertThat(read).hasSize(bodies.size());
      for (int i = 0; i < bodies.size(); i++) assertThat(read.get(i)).as("part %d, chunk %d", i, chunk)
          .isEqualTo(bodies.get(i));
    }
  }

  /**
   * Bodies made only of the delimiter's own bytes, full of partial delimiters at every offset
   * and across buffer refills: the search, which skips ahead, must still find each delimiter and
   * nothing else.
   */
  @Test
  void findsEveryDelimiterAmongBodiesMadeOfItsOwnBytes() throws Exception {
    Random random = new Random(7);
    byte[] alphabet = ("\r\n--" + B).getBytes(StandardCharsets.ISO_8859_1);
    String delimiter = "\r\n--" + B;
    List<byte[]> bodies = new ArrayList<>();
    while (bodies.size() < 40) {
      byte[] body = new byte[random.nextInt(bodies.size() < 30 ? 300 : 150_000)];
      for (int i = 0; i < body.length; i++) body[i] = alphabet[random.nextInt(alphabet.length)];
      String text = new String(body, StandardCharsets.ISO_8859_1);
      if ((text + delimiter).indexOf(delimiter) == text.length()) bodies.add(body); // no delimiter inside
    }
    byte[] message = message("", bodies, "");
    for (int chunk : new int[] {1, 13, 65_536}) {
      List<byte[]> read = readAll(new ChunkedInput(message, chunk));
      assertThat(read).hasSize(bodies.size());
      for (int i = 0; i < bodies.size(); i++) assertThat(read.get(i)).as("part %d, chunk %d", i, chunk)
          .isEqualTo(bodies.get(i));
    }
  }

  @Test
  void headersAreReadCaseInsensitively() throws Exception {
    byte[] message = ("--" + B + "  \r\nCONTENT-TYPE: application/dicom\r\n\r\nxyz\r\n--" + B + "--")
        .getBytes(StandardCharsets.US_ASCII);
    MultipartRelatedReader reader = new MultipartRelatedReader(new ByteArrayInputStream(message), B);
    MultipartRelatedReader.Part part = reader.next();
    assertThat(part.header("Content-Type")).isEqualTo("application/dicom");
    assertThat(part.body().readAllBytes()).isEqualTo("xyz".getBytes(StandardCharsets.US_ASCII));
    assertThat(reader.next()).isNull();
  }

  @Test
  void reportsBodiesThatAreNotTheMultipartTheyClaim() {
    assertThatThrownBy(() -> readAll(new ByteArrayInputStream("no boundary here".getBytes())))
        .isInstanceOf(MalformedMultipartException.class).hasMessageContaining("no opening boundary");
    byte[] cut = ("--" + B + "\r\nContent-Type: application/dicom\r\n\r\npartial body").getBytes();
    assertThatThrownBy(() -> readAll(new ByteArrayInputStream(cut)))
        .isInstanceOf(MalformedMultipartException.class).hasMessageContaining("before the closing boundary");
    byte[] headersCut = ("--" + B + "\r\nContent-Type: appl").getBytes();
    assertThatThrownBy(() -> readAll(new ByteArrayInputStream(headersCut)))
        .isInstanceOf(MalformedMultipartException.class).hasMessageContaining("inside part headers");
    byte[] garbageAfterBoundary = ("--" + B + "junk\r\n\r\nx\r\n--" + B + "--").getBytes();
    assertThatThrownBy(() -> readAll(new ByteArrayInputStream(garbageAfterBoundary)))
        .isInstanceOf(MalformedMultipartException.class).hasMessageContaining("expected CRLF");
  }

  private static List<byte[]> readAll(InputStream in) throws IOException {
    MultipartRelatedReader reader = new MultipartRelatedReader(in, B);
    List<byte[]> bodies = new ArrayList<>();
    for (MultipartRelatedReader.Part p; (p = reader.next()) != null; ) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[3001];
      for (int n; (n = p.body().read(buffer)) >= 0; ) out.write(buffer, 0, n);
      bodies.add(out.toByteArray());
    }
    return bodies;
  }

  private static byte[] message(String preamble, List<byte[]> bodies, String epilogue) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(preamble.getBytes(StandardCharsets.US_ASCII));
    for (byte[] body : bodies) {
      out.writeBytes(("--" + B + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(body);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + B + "--\r\n" + epilogue).getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** Delivers at most {@code chunk} bytes per read, as a slow network does. */
  private static final class ChunkedInput extends ByteArrayInputStream {
    private final int chunk;

    ChunkedInput(byte[] data, int chunk) {
      super(data);
      this.chunk = chunk;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      return super.read(b, off, Math.min(len, chunk));
    }
  }
}
