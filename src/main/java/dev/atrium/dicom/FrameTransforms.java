package dev.atrium.dicom;

import java.util.List;

/**
 * The grayscale transforms recorded for one frame (PS3.4 N.2.1): the Modality LUT (rescale
 * slope and intercept, or a Modality LUT Sequence) and the VOI LUT (window settings, their VOI LUT
 * Function, or a VOI LUT Sequence). For enhanced multi-frame instances these come from the frame's
 * functional groups (PS3.3 C.7.6.16.2.9, C.7.6.16.2.10), else from the top-level attributes.
 */
public record FrameTransforms(
    double rescaleSlope,
    double rescaleIntercept,
    Lut modalityLut,
    List<WindowSetting> windows,
    String voiLutFunction,
    Lut voiLut) {

  /** One Window Center / Window Width pair (PS3.3 C.11.2.1.2). */
  public record WindowSetting(double center, double width) {}

  public static final FrameTransforms IDENTITY = new FrameTransforms(1, 0, null, List.of(), null, null);
}
