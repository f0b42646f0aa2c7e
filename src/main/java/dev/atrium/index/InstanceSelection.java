package dev.atrium.index;

import java.util.List;

/**
 * Which instances a retrieve takes, by the unique keys of the Query/Retrieve levels (PS3.4 C.4.2.2.1): a Patient
 * ID, and lists of Study, Series and SOP Instance UIDs. A null Patient ID or an empty list leaves that level open;
 * at least one must be given.
 */
public record InstanceSelection(String patientId, List<String> studyUids, List<String> seriesUids,
    List<String> sopInstanceUids) {
  public InstanceSelection {
    studyUids = List.copyOf(studyUids);
    seriesUids = List.copyOf(seriesUids);
    sopInstanceUids = List.copyOf(sopInstanceUids);
    if (patientId == null && studyUids.isEmpty() && seriesUids.isEmpty() && sopInstanceUids.isEmpty()) {
      throw new IllegalArgumentException("an instance selection needs at least one key");
    }
  }
}
