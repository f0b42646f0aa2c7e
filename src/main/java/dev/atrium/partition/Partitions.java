package dev.atrium.partition;

import java.util.regex.Pattern;

/**
 * Data partitions (tenant isolation), as the Azure DICOM service's: every index row carries one,
 * the same UIDs may exist in two partitions as different data, and a partition comes into being
 * with the first instance stored into it.
 */
public final class Partitions {
  /** The Azure DICOM service calls it Microsoft.Default, which names it here too. */
  public static final String DEFAULT = "DEFAULT";
  private static final String AZURE_DEFAULT = "Microsoft.Default";

  /** Letters, digits, '.', '-', '_'; at most 64 (the Azure service's rule). */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private Partitions() {}

  /** A partition name as given by a client, checked before it reaches the index; Azure's default name is ours. */
  public static String require(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidPartitionException("invalid partition name '" + (name == null ? "" : name)
          + "': use 1 to 64 letters, digits, '.', '-' or '_'");
    }
    return name.equals(AZURE_DEFAULT) ? DEFAULT : name;
  }

  /** A partition name that breaks {@link #require}'s rule. */
  public static final class InvalidPartitionException extends IllegalArgumentException {
    public InvalidPartitionException(String message) {
      super(message);
    }
  }
}
