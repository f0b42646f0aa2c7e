package dev.atrium.retrieve;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Source region, then viewport (PS3.18 8.3.5: "Any Viewport parameters are applied after any
 * Source Image Region"): the region is cut out (and flipped on an axis whose extent is negative),
 * then scaled to fit the requested size with its aspect ratio kept. Downscaling halves the image
 * step by step, so a thumbnail of a large frame averages its pixels instead of sampling a few.
 */
final class ImageGeometry {
  private ImageGeometry() {}

  static BufferedImage apply(BufferedImage image, RenderRequest.Region region, RenderRequest.Size size)
      throws RenderException {
    int x = 0;
    int y = 0;
    int w = image.getWidth();
    int h = image.getHeight();
    boolean flipX = false;
    boolean flipY = false;
    if (region != null) {
      double scaleX = region.fractional() ? image.getWidth() : 1;
      double scaleY = region.fractional() ? image.getHeight() : 1;
      x = (int) Math.round(region.x() * scaleX);
      y = (int) Math.round(region.y() * scaleY);
      w = Double.isNaN(region.width()) ? image.getWidth() - x : (int) Math.round(Math.abs(region.width()) * scaleX);
      h = Double.isNaN(region.height()) ? image.getHeight() - y
          : (int) Math.round(Math.abs(region.height()) * scaleY);
      flipX = region.width() < 0;
      flipY = region.height() < 0;
      if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > image.getWidth() || y + h > image.getHeight()) {
        throw RenderException.badRequest(RenderException.Subject.REGION, "the source region of " + w + "x" + h
            + " pixels at (" + x + "," + y + ") does not lie inside the " + image.getWidth() + "x" + image.getHeight()
            + " image");
      }
    }
    int outW = w;
    int outH = h;
    if (size != null) {
      double scale = Math.min(size.maxWidth() == 0 ? Double.MAX_VALUE : (double) size.maxWidth() / w,
          size.maxHeight() == 0 ? Double.MAX_VALUE : (double) size.maxHeight() / h);
      if (!size.enlarge()) scale = Math.min(scale, 1);
      if ((double) w * scale * h * scale > RenderRequest.Size.MAX_PIXELS) {
        throw RenderException.badRequest(RenderException.Subject.SIZE, "the " + w + "x" + h + " image scaled to fit "
            + "would have more than " + RenderRequest.Size.MAX_PIXELS + " pixels");
      }
      outW = Math.max(1, (int) Math.round(w * scale));
      outH = Math.max(1, (int) Math.round(h * scale));
    }
    if (region == null && outW == w && outH == h) return image;
    BufferedImage source = image.getSubimage(x, y, w, h);
    while (source.getWidth() >= 2 * outW && source.getHeight() >= 2 * outH) {
      source = draw(source, source.getWidth() / 2, source.getHeight() / 2, false, false);
    }
    return draw(source, outW, outH, flipX, flipY);
  }

  private static BufferedImage draw(BufferedImage source, int w, int h, boolean flipX, boolean flipY) {
    BufferedImage out = new BufferedImage(w, h, source.getType());
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(source, flipX ? w : 0, flipY ? h : 0, flipX ? 0 : w, flipY ? 0 : h,
          0, 0, source.getWidth(), source.getHeight(), null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
