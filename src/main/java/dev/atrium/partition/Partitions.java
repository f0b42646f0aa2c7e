package dev.atrium.partition;

/** Data partitions (tenant isolation). Every index row carries one; until issue #6 all use the default. */
public final class Partitions {
  /** The Azure DICOM service calls it Microsoft.Default. */
  public static final String DEFAULT = "DEFAULT";

  private Partitions() {}
}
