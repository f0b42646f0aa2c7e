package dev.atrium.query;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

/**
 * Return keys the index does not hold (InstitutionName, SliceThickness, SeriesDate, …), read from the instance each
 * match stands for: the matched instance at INSTANCE level, the first instance of the series or study at SERIES and
 * STUDY level, the first instance of the patient's study stored last at PATIENT level. PS3.18 10.6.3.3 and PS3.4
 * C.2.2.1 let a query return such attributes "if available"; one answer serves QIDO-RS and C-FIND alike.
 */
public interface StoredAttributes {
  /** A value as stored: its VR and its DICOM string value (multiple values joined by "\"). */
  record Value(String vr, String value) {}

  /**
   * The match's values of {@code tags} that its instance holds as text or numbers (not sequences, not binary); none
   * when the instance is gone (deleted since it matched).
   */
  Map<Integer, Value> of(String partition, QueryLevel level, QueryMatch match, Set<Integer> tags) throws IOException;
}
