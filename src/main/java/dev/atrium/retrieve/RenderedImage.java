package dev.atrium.retrieve;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** A rendered frame, ready to be encoded as JPEG (at the requested quality) or PNG straight into a stream. */
public final class RenderedImage {
  static {
    ImageIO.setUseCache(false); // no temporary files per encoded image
  }

  private final BufferedImage image;
  private final RenderedFormat format;
  private final int quality;

  RenderedImage(BufferedImage image, RenderedFormat format, int quality) {
    this.image = image;
    this.format = format;
    this.quality = quality;
  }

  public RenderedFormat format() {
    return format;
  }

  public int width() {
    return image.getWidth();
  }

  public int height() {
    return image.getHeight();
  }

  public void writeTo(OutputStream out) throws IOException {
    ImageWriter writer = writer();
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (format == RenderedFormat.JPEG) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
      }
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  /** The JDK's own writer when there is a choice (other ImageIO plugins on the classpath register too). */
  private ImageWriter writer() throws IOException {
    ImageWriter chosen = null;
    for (Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format.imageIoName()); writers.hasNext(); ) {
      ImageWriter candidate = writers.next();
      if (chosen == null || candidate.getClass().getName().startsWith("com.sun.imageio.")) chosen = candidate;
    }
    if (chosen == null) throw new IOException("no ImageIO writer for " + format.mediaType());
    return chosen;
  }
}
