package dev.atrium.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit writer's view of {@link AuditPatients}: a C-STORE audits every instance, so the patient of a study is
 * looked up once a minute at most, not once per instance. One thread uses it (the audit writer).
 */
final class CachedAuditPatients implements AuditPatients {
  private static final Logger log = LoggerFactory.getLogger(CachedAuditPatients.class);
  private static final int CAPACITY = 4096;
  private static final long FRESH_NANOS = 60_000_000_000L;

  private record Known(Patient patient, long at) {}

  private final AuditPatients index;
  private final Map<String, Known> known = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
      return size() > CAPACITY;
    }
  };

  CachedAuditPatients(AuditPatients index) {
    this.index = index;
  }

  @Override
  public Patient of(String partition, String studyInstanceUid) {
    String key = partition + '\u0000' + studyInstanceUid;
    long now = System.nanoTime();
    Known cached = known.get(key);
    if (cached != null && now - cached.at() < FRESH_NANOS) return cached.patient();
    Patient patient;
    try {
      patient = index.of(partition, studyInstanceUid);
    } catch (RuntimeException e) { // the index is unreachable: the record goes out without its patient
      log.debug("audit: no patient for study {}: {}", studyInstanceUid, e.toString());
      return null;
    }
    if (patient != null) known.put(key, new Known(patient, now));
    return patient;
  }
}
