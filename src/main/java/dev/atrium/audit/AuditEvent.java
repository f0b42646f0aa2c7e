package dev.atrium.audit;

import java.time.Instant;
import java.util.List;

/**
 * One audit record (PS3.15 A.5.3): what happened, by whom, from where, in which partition, to
 * which studies. {@code who} is a user (token subject) or a calling AE title. {@code queriedSopClass}: the
 * Query/Retrieve information model a C-FIND named (null for QIDO-RS and other events). {@code patients}: those
 * known when the event happened; the audit writer looks up the patients of {@code studyUids} it still finds.
 */
public record AuditEvent(
    Kind kind, Outcome outcome, Instant when, String who, String sourceAddress, String partition,
    List<String> studyUids, String query, String queriedSopClass, String detail,
    List<AuditPatients.Patient> patients) {

  /** PS3.15 A.5.3 events with their DCM code and EventActionCode. */
  public enum Kind {
    APPLICATION_START("110100", "Application Activity", "E", "110120", "Application Start"),
    APPLICATION_STOP("110100", "Application Activity", "E", "110121", "Application Stop"),
    INSTANCES_STORED("110104", "DICOM Instances Transferred", "C", null, null),
    INSTANCES_RETRIEVED("110104", "DICOM Instances Transferred", "R", null, null),
    INSTANCES_ACCESSED("110103", "DICOM Instances Accessed", "R", null, null),
    STUDY_DELETED("110105", "DICOM Study Deleted", "D", null, null),
    QUERY("110112", "Query", "E", null, null),
    LOGIN("110114", "User Authentication", "E", "110122", "Login"),
    /** A peer that could not authenticate: a rejected association or TLS handshake (CID 403). */
    NODE_AUTHENTICATION_ALERT("110113", "Security Alert", "E", "110126", "Node Authentication"),
    /** A rejected token, or a service or action the caller is not granted (CID 403). */
    RESTRICTED_FUNCTION_ALERT("110113", "Security Alert", "E", "110132", "Use of Restricted Function");

    final String code;
    final String name;
    final String action;
    final String typeCode;
    final String typeName;

    /** Events about instances, whose records name the patients of their studies (PS3.15 A.5.3.7 to A.5.3.9). */
    boolean namesPatients() {
      return this == INSTANCES_STORED || this == INSTANCES_RETRIEVED || this == INSTANCES_ACCESSED
          || this == STUDY_DELETED;
    }

    Kind(String code, String name, String action, String typeCode, String typeName) {
      this.code = code;
      this.name = name;
      this.action = action;
      this.typeCode = typeCode;
      this.typeName = typeName;
    }
  }

  /** EventOutcomeIndicator (PS3.15 A.5.1): 0 success, 4 minor failure, 8 serious failure. */
  public enum Outcome {
    SUCCESS("0"), MINOR_FAILURE("4"), SERIOUS_FAILURE("8");

    final String code;

    Outcome(String code) {
      this.code = code;
    }

    /** From an HTTP status: 2xx/3xx success, 4xx the client's failure, 5xx ours. */
    public static Outcome ofHttpStatus(int status) {
      return status < 400 ? SUCCESS : status < 500 ? MINOR_FAILURE : SERIOUS_FAILURE;
    }
  }

  public static AuditEvent of(Kind kind, Outcome outcome, String who, String sourceAddress, String partition,
      List<String> studyUids, String query, String detail) {
    return new AuditEvent(kind, outcome, Instant.now(), who, sourceAddress, partition,
        studyUids == null ? List.of() : List.copyOf(studyUids), query, null, detail, List.of());
  }

  /** The same event, naming these patients too. */
  public AuditEvent withPatients(List<AuditPatients.Patient> known) {
    return known.isEmpty() ? this : new AuditEvent(kind, outcome, when, who, sourceAddress, partition, studyUids,
        query, queriedSopClass, detail, List.copyOf(known));
  }

  /** A C-FIND: PS3.15 A.5.3.10 identifies its query by the SOP class of its information model. */
  public static AuditEvent dimseQuery(String who, String sourceAddress, String partition, String sopClassUid,
      String query, String detail) {
    return new AuditEvent(Kind.QUERY, Outcome.SUCCESS, Instant.now(), who, sourceAddress, partition, List.of(), query,
        sopClassUid, detail, List.of());
  }
}
