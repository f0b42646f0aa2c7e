package dev.atrium.dicom;

/**
 * One JPEG Huffman table (ITU-T T.81 C, F.2.2.3): the codes of each length as the DHT segment lists them, decoded
 * bit by bit with the MINCODE / MAXCODE / VALPTR procedure.
 */
final class JpegHuffmanTable {
  private final int[] minCode = new int[17];
  private final int[] maxCode = new int[18];
  private final int[] valuePointer = new int[17];
  private final int[] values;

  /** @param counts the number of codes of each length 1..16 (index 0 unused) */
  JpegHuffmanTable(int[] counts, int[] values) throws DicomParseException {
    this.values = values;
    int code = 0;
    int k = 0;
    for (int length = 1; length <= 16; length++) {
      valuePointer[length] = k;
      minCode[length] = code;
      code += counts[length];
      k += counts[length];
      maxCode[length] = counts[length] > 0 ? code - 1 : -1;
      if (code > 1 << length) throw new DicomParseException("a JPEG Huffman table has more codes than fit");
      code <<= 1;
    }
    maxCode[17] = Integer.MAX_VALUE;
  }

  /** T.81 F.2.2.3 DECODE. */
  int decode(JpegBits bits) throws DicomParseException {
    int code = bits.readBit();
    int length = 1;
    while (code > maxCode[length]) {
      if (++length > 16) throw new DicomParseException("a JPEG Huffman code matches no table entry (damaged data)");
      code = code << 1 | bits.readBit();
    }
    return values[valuePointer[length] + code - minCode[length]];
  }
}
