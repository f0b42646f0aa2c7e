package dev.atrium.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The frames of a stored image, for rendering: its pixel description and transforms from the
 * header, and one decoded frame at a time. Reading frame N reads the header, the item headers of
 * encapsulated Pixel Data and frame N's own bytes, never the other frames.
 */
public final class ImageFrames {
  private static final int PIXEL_DATA = 0x7FE00010;
  /** One decoded frame stays well inside a server heap: at most 2^25 samples (e.g. 5792² gray). */
  public static final long MAX_FRAME_SAMPLES = 1L << 25;

  private final DicomHeaderReader.Source source;
  private final ImageHeader header;
  private final DicomStructure.ValueLocation pixelData;

  private ImageFrames(DicomHeaderReader.Source source, ImageHeader header, DicomStructure.ValueLocation pixelData) {
    this.source = source;
    this.header = header;
    this.pixelData = pixelData;
  }

  /**
   * Reads the header and finds Pixel Data; refuses (naming why) an instance that is no image, whose
   * pixel format or transfer syntax cannot be decoded here, or whose frames are too large.
   */
  public static ImageFrames open(DicomHeaderReader.Source source, long size) throws IOException,
      NotRenderableException {
    ImageHeader header;
    DicomStructure.ValueLocation pixelData;
    try (InputStream in = source.open()) {
      header = ImageHeader.read(in);
    } catch (DicomParseException e) {
      throw new IOException("stored instance cannot be read: " + e.getMessage(), e);
    }
    try (InputStream in = source.open()) {
      pixelData = DicomStructure.locate(in, size, PIXEL_DATA);
    } catch (DicomParseException e) {
      throw new IOException("stored instance cannot be read: " + e.getMessage(), e);
    }
    if (pixelData == null) throw new NotRenderableException("the instance has no Pixel Data (7FE0,0010)");
    if (pixelData.deflated()) {
      throw new NotRenderableException("Pixel Data in a deflated data set (1.2.840.10008.1.2.1.99) is not rendered here");
    }
    ImagePixels pixels = header.pixels();
    FrameDecoder.requireCodec(pixels);
    boolean encapsulated = pixelData.length() < 0;
    if (encapsulated == FrameDecoder.isNative(pixels.transferSyntaxUid())) {
      throw new NotRenderableException("Pixel Data is " + (encapsulated ? "" : "not ") + "encapsulated, which "
          + "transfer syntax " + pixels.transferSyntaxUid() + " does not allow (PS3.5 A.4)");
    }
    long samples = (long) pixels.rows() * pixels.columns() * pixels.samplesPerPixel();
    if (samples > MAX_FRAME_SAMPLES) {
      throw new NotRenderableException("a frame of " + pixels.columns() + "x" + pixels.rows() + "x"
          + pixels.samplesPerPixel() + " samples is larger than this server renders (" + MAX_FRAME_SAMPLES + ")");
    }
    return new ImageFrames(source, header, pixelData);
  }

  public ImagePixels pixels() {
    return header.pixels();
  }

  public FrameTransforms transforms(int frame) throws NotRenderableException {
    return header.transforms(frame);
  }

  /** Frame {@code frame}, 1-based; the caller has checked it against {@link ImagePixels#numberOfFrames()}. */
  public DecodedFrame decode(int frame) throws IOException, NotRenderableException {
    ImagePixels pixels = header.pixels();
    if (frame < 1 || frame > pixels.numberOfFrames()) {
      throw new IllegalArgumentException("frame " + frame + " of " + pixels.numberOfFrames());
    }
    try {
      if (pixelData.length() >= 0) {
        return FrameDecoder.decodeNative(pixels,
            PixelDataFrames.nativeFrame(source, pixelData.offset(), pixelData.length(), pixels, frame));
      }
      byte[] encoded = PixelDataFrames.encapsulatedFrame(source, pixelData.offset(), pixels, frame,
          MAX_FRAME_SAMPLES * 4);
      return pixels.transferSyntaxUid().equals(FrameDecoder.RLE) ? FrameDecoder.decodeRle(pixels, encoded)
          : FrameDecoder.decodeCompressed(pixels, encoded);
    } catch (EOFException e) {
      throw new NotRenderableException("the stored Pixel Data ends before frame " + frame + " does", e);
    }
  }
}
