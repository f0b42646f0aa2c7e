package dev.atrium.retrieve;

import dev.atrium.dicom.DicomJsonValues;
import dev.atrium.index.StoredInstance;
import dev.atrium.query.QueryAttributes;
import dev.atrium.query.QueryLevel;
import dev.atrium.query.QueryMatch;
import dev.atrium.query.StoredAttributes;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** {@link StoredAttributes} from the metadata document kept for each instance at store time. */
public final class MatchMetadata implements StoredAttributes {
  private final RetrieveService retrieve;

  public MatchMetadata(RetrieveService retrieve) {
    this.retrieve = retrieve;
  }

  @Override
  public Map<Integer, Value> of(String partition, QueryLevel level, QueryMatch match, Set<Integer> tags)
      throws IOException {
    String study = match.get(QueryAttributes.STUDY_INSTANCE_UID);
    String series = match.get(QueryAttributes.SERIES_INSTANCE_UID);
    Optional<StoredInstance> instance = switch (level) {
      case PATIENT -> retrieve.patientInstance(partition, match.get(QueryAttributes.PATIENT_ID),
          match.get(QueryAttributes.ISSUER_OF_PATIENT_ID));
      case STUDY -> retrieve.firstInstance(partition, study, null);
      case SERIES -> retrieve.firstInstance(partition, study, series);
      case INSTANCE -> retrieve.findInstance(partition, study, series,
          match.get(QueryAttributes.SOP_INSTANCE_UID));
    };
    if (instance.isEmpty()) return Map.of();
    Map<Integer, Value> values = new TreeMap<>();
    DicomJsonValues.read(retrieve.metadata(instance.get()), tags).forEach((tag, element) -> {
      if (element.inlineBinary() == null && !element.bulkData() && !"SQ".equals(element.vr())) {
        values.put(tag, new Value(element.vr(), String.join("\\", element.values())));
      }
    });
    return values;
  }
}
