package dev.atrium.store;

import dev.atrium.dicom.DicomHeader;
import dev.atrium.dicom.DicomHeaderReader;
import dev.atrium.dicom.DicomParseException;
import dev.atrium.storage.BlobStore;

/**
 * Where an instance's blob is placed: beside the other files of its study. Recovery reads the placement again from
 * a staged file whose placing rename a crash lost, so both sides take it from here.
 */
final class BlobPlacement {
  private BlobPlacement() {}

  static String of(DicomHeader header) {
    return header.studyInstanceUid();
  }

  /** From a staged file's content; null when it is not a readable instance (a write the crash cut short). */
  static final BlobStore.Placement FROM_CONTENT = (staged, size) -> {
    try {
      return of(DicomHeaderReader.read(staged::open, size));
    } catch (DicomParseException e) {
      return null;
    }
  };
}
