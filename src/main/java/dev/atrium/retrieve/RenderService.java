package dev.atrium.retrieve;

import dev.atrium.dicom.DecodedFrame;
import dev.atrium.dicom.ImageFrames;
import dev.atrium.dicom.ImagePixels;
import dev.atrium.dicom.NotRenderableException;
import dev.atrium.index.StoredInstance;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Rendering of stored images (PS3.18 10.4.1.1.3 rendered and thumbnail, 9 WADO-URI): one frame is
 * read and decoded (never the others), taken through the grayscale or colour pipeline, cut and
 * scaled, and handed back for encoding. Every rendering protocol comes through here. At most a
 * few frames are decoded at once, so concurrent requests for large images cannot exhaust the heap.
 */
public final class RenderService {
  /** How many instances of a study or series are tried for a thumbnail before giving up. */
  private static final int THUMBNAIL_CANDIDATES = 16;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private final RetrieveService retrieve;
  private final Semaphore decoding;

  public RenderService(RetrieveService retrieve) {
    this.retrieve = retrieve;
    this.decoding = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  public RenderedImage render(StoredInstance instance, RenderRequest request) throws IOException, RenderException {
    ImageFrames frames = open(instance);
    ImagePixels pixels = frames.pixels();
    if (request.frame() > pixels.numberOfFrames()) {
      throw RenderException.badRequest(RenderException.Subject.FRAME, "frame " + request.frame()
          + " does not exist: the instance has " + pixels.numberOfFrames() + " frame(s)");
    }
    try {
      decoding.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to render");
    }
    try {
      DecodedFrame frame = frames.decode(request.frame());
      BufferedImage image = frame.color() == DecodedFrame.Color.GRAYSCALE
          ? GrayscaleRendering.render(frame, pixels, frames.transforms(request.frame()), request.window())
          : ColorRendering.render(frame, pixels, frames.palette());
      return new RenderedImage(ImageGeometry.apply(image, request.region(), request.size()), request.format(),
          request.quality());
    } catch (NotRenderableException e) {
      throw notRenderable(e);
    } finally {
      decoding.release();
    }
  }

  /** The instance's pixel description; empty when it is not an image this service can render. */
  public Optional<ImagePixels> describe(StoredInstance instance) throws IOException {
    try {
      return Optional.of(open(instance).pixels());
    } catch (RenderException e) {
      return Optional.empty();
    }
  }

  /**
   * The instance a study or series thumbnail shows: the first, in series and instance order, that
   * can be rendered. Empty when the study or series has no instances in the partition.
   */
  public Optional<StoredInstance> representative(String partition, String studyUid, String seriesUid)
      throws IOException, RenderException {
    List<StoredInstance> candidates = new ArrayList<>();
    retrieve.forEachInstance(partition, studyUid, seriesUid, instance -> {
      if (candidates.size() < THUMBNAIL_CANDIDATES) candidates.add(instance);
    });
    if (candidates.isEmpty()) return Optional.empty();
    RenderException last = null;
    for (StoredInstance candidate : candidates) {
      try {
        open(candidate);
        return Optional.of(candidate);
      } catch (RenderException e) {
        last = e;
      }
    }
    throw new RenderException(RenderException.Reason.NOT_RENDERABLE, RenderException.Subject.NONE,
        "no instance of the " + (seriesUid == null ? "study" : "series") + " can be rendered (the first "
            + candidates.size() + " tried; the last said: " + last.getMessage() + ")", last);
  }

  private ImageFrames open(StoredInstance instance) throws IOException, RenderException {
    try {
      return ImageFrames.open(() -> retrieve.open(instance));
    } catch (NotRenderableException e) {
      throw notRenderable(e);
    }
  }

  private static RenderException notRenderable(NotRenderableException e) {
    return new RenderException(RenderException.Reason.NOT_RENDERABLE, RenderException.Subject.NONE, e.getMessage(), e);
  }
}
