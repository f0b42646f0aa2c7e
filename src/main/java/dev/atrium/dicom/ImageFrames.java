package dev.atrium.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * The frames of a stored image, for rendering: its pixel description and transforms from the
 * header, and one decoded frame at a time. Frames are located and decoded by {@link StoredFrames}
 * (the same path as /frames and transcoding): reading frame N reads the header, the item headers
 * of encapsulated Pixel Data and frame N's own bytes, never the other frames.
 */
public final class ImageFrames {
  /** One decoded frame stays well inside a server heap: at most 2^25 samples (e.g. 5792² gray). */
  public static final long MAX_FRAME_SAMPLES = 1L << 25;
  private static final Set<String> COLOR = Set.of("RGB", "YBR_FULL", "YBR_FULL_422", "YBR_ICT", "YBR_RCT");

  private final StoredFrames frames;
  private final ImageHeader header;

  private ImageFrames(StoredFrames frames, ImageHeader header) {
    this.frames = frames;
    this.header = header;
  }

  /**
   * Reads the header and finds Pixel Data; refuses (naming why) an instance that is no image, whose
   * pixel format or transfer syntax cannot be decoded here, or whose frames are too large.
   */
  public static ImageFrames open(DicomHeaderReader.Source source) throws IOException, NotRenderableException {
    StoredFrames frames;
    try {
      frames = StoredFrames.open(source).orElseThrow(() ->
          new NotRenderableException("the instance is not an image: it has no Pixel Data (7FE0,0010)"));
    } catch (DicomParseException e) {
      throw new NotRenderableException("the stored Pixel Data cannot be read: " + e.getMessage(), e);
    }
    ImagePixels pixels = frames.pixels();
    requireRenderable(pixels);
    try {
      frames.checkDecodable();
    } catch (UnsupportedTranscodingException e) {
      throw new NotRenderableException(e.getMessage(), e);
    }
    try (InputStream in = source.open()) {
      return new ImageFrames(frames, ImageHeader.read(in, pixels));
    } catch (DicomParseException e) {
      throw new IOException("stored instance cannot be read: " + e.getMessage(), e);
    }
  }

  /** The pixel formats the renderer handles (PS3.3 C.7.6.3.1); anything else is refused by name. */
  private static void requireRenderable(ImagePixels p) throws NotRenderableException {
    if (p.rows() <= 0 || p.columns() <= 0) {
      throw new NotRenderableException("the instance is not an image (no Rows and Columns)");
    }
    String photometric = p.photometricInterpretation();
    boolean single = p.isMonochrome() || photometric.equals("PALETTE COLOR");
    if (!single && !COLOR.contains(photometric)) {
      throw new NotRenderableException("Photometric Interpretation '" + photometric + "' is not rendered here "
          + "(MONOCHROME1, MONOCHROME2, PALETTE COLOR, RGB and YBR_FULL(_422) are)");
    }
    if (p.samplesPerPixel() != (single ? 1 : 3)) {
      throw new NotRenderableException("Samples per Pixel " + p.samplesPerPixel() + " does not fit Photometric "
          + "Interpretation " + photometric + " (PS3.3 C.7.6.3.1.1)");
    }
    if (p.bitsAllocated() != 8 && p.bitsAllocated() != 16 && p.bitsAllocated() != 32) {
      throw new NotRenderableException("Bits Allocated " + p.bitsAllocated() + " is not rendered here (8, 16 and 32 "
          + "are)");
    }
    if (p.bitsStored() < 1 || p.bitsStored() > p.bitsAllocated() || p.highBit() < p.bitsStored() - 1
        || p.highBit() >= p.bitsAllocated()) {
      throw new NotRenderableException("Bits Stored " + p.bitsStored() + " and High Bit " + p.highBit()
          + " do not fit Bits Allocated " + p.bitsAllocated() + " (PS3.5 8.1.1)");
    }
    long samples = (long) p.rows() * p.columns() * p.samplesPerPixel();
    if (samples > MAX_FRAME_SAMPLES) {
      throw new NotRenderableException("a frame of " + p.columns() + "x" + p.rows() + "x" + p.samplesPerPixel()
          + " samples is larger than this server renders (" + MAX_FRAME_SAMPLES + ")");
    }
  }

  public ImagePixels pixels() {
    return frames.pixels();
  }

  /** The PALETTE COLOR tables; null for other photometric interpretations. */
  public Palette palette() {
    return header.palette();
  }

  public FrameTransforms transforms(int frame) throws NotRenderableException {
    return header.transforms(frame);
  }

  /** Frame {@code frame}, 1-based; the caller has checked it against {@link ImagePixels#numberOfFrames()}. */
  public DecodedFrame decode(int frame) throws IOException, NotRenderableException {
    ImagePixels pixels = frames.pixels();
    if (frame < 1 || frame > pixels.numberOfFrames()) {
      throw new IllegalArgumentException("frame " + frame + " of " + pixels.numberOfFrames());
    }
    try {
      byte[] samples = frames.decode(frame, MAX_FRAME_SAMPLES * 4);
      return FrameRaster.wrap(frames.decodedPixels(), samples, sampleShift());
    } catch (EOFException e) {
      throw new NotRenderableException("the stored Pixel Data ends before frame " + frame + " does", e);
    } catch (DicomParseException | UnsupportedTranscodingException e) {
      throw new NotRenderableException("frame " + frame + " cannot be decoded: " + e.getMessage(), e);
    }
  }

  /**
   * Native and RLE frames are the stored pixel cells, whose value sits below High Bit (PS3.5
   * 8.1.1); the JPEG and JPEG 2000 codecs give back the Bits Stored values themselves.
   */
  private int sampleShift() {
    String syntax = frames.transferSyntax().uid();
    boolean cells = !frames.transferSyntax().encapsulated() || syntax.equals(TransferSyntax.RLE_LOSSLESS);
    ImagePixels p = frames.pixels();
    return cells ? p.highBit() + 1 - p.bitsStored() : 0;
  }
}
