package dev.atrium.index;

/**
 * The blobs a store transaction names could not be made durable in their places: the transaction is rolled back
 * instead of committed, so no row ever names a blob that may not survive.
 */
public final class BlobsNotDurableException extends RuntimeException {
  public BlobsNotDurableException(String message, Throwable cause) {
    super(message, cause);
  }
}
