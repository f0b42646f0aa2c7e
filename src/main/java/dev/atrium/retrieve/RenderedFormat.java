package dev.atrium.retrieve;

/** The rendered media types served (PS3.18 8.7.4 single-frame image types). */
public enum RenderedFormat {
  JPEG("image/jpeg", "jpeg"),
  PNG("image/png", "png");

  private final String mediaType;
  private final String imageIoName;

  RenderedFormat(String mediaType, String imageIoName) {
    this.mediaType = mediaType;
    this.imageIoName = imageIoName;
  }

  public String mediaType() {
    return mediaType;
  }

  String imageIoName() {
    return imageIoName;
  }
}
