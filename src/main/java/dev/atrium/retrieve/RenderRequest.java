package dev.atrium.retrieve;

/**
 * What to render of one instance (PS3.18 8.3.5.1 for WADO-RS, 9.5.1 for WADO-URI): which frame
 * (1-based), an optional window overriding the instance's own VOI, an optional source region and
 * output size, the JPEG quality (1–100) and the media type.
 */
public record RenderRequest(int frame, Window window, Region region, Size size, int quality, RenderedFormat format) {
  /** The JPEG quality when the request names none. */
  public static final int DEFAULT_QUALITY = 90;

  public RenderRequest {
    if (frame < 1) throw new IllegalArgumentException("frame " + frame);
    if (quality < 1 || quality > 100) throw new IllegalArgumentException("quality " + quality);
  }

  /** A VOI window (PS3.3 C.11.2.1.2); the width must suit the function ({@link VoiFunction#minimumWidth()}). */
  public record Window(double center, double width, VoiFunction function) {
    public Window {
      if (!(width >= function.minimumWidth()) || !Double.isFinite(center) || !Double.isFinite(width)) {
        throw new IllegalArgumentException("window width " + width + " for " + function);
      }
    }
  }

  /**
   * The part of the frame to render: from column x, row y, width × height pixels, or fractions of
   * the frame's size when {@code fractional} (WADO-URI "region"). A negative width or height
   * flips that axis (PS3.18 8.3.5.1.3): the region still starts at x or y and spans |width|. A
   * width or height that is NaN reaches to the frame's edge.
   */
  public record Region(double x, double y, double width, double height, boolean fractional) {}

  /**
   * The largest output width and height (0: not constrained); the aspect ratio is kept. With
   * {@code enlarge} false a smaller image keeps its size (thumbnails).
   */
  public record Size(int maxWidth, int maxHeight, boolean enlarge) {
    /** No rendered image is larger than this many pixels (a 4096 x 4096 square). */
    public static final long MAX_PIXELS = 1L << 24;

    public Size {
      if (maxWidth < 0 || maxHeight < 0 || (maxWidth == 0 && maxHeight == 0)) {
        throw new IllegalArgumentException("size " + maxWidth + "x" + maxHeight);
      }
    }
  }
}
