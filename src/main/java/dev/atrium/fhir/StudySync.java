package dev.atrium.fhir;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.atrium.config.FhirSettings.OnLastInstanceDeleted;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;

/**
 * Brings one study's ImagingStudy up to date with a group of its changes: read it as the FHIR
 * server has it now, apply the changes, write it back only if nobody changed it meanwhile
 * (If-Match with the version read, or If-None-Exist when creating); on a conflict, read again and
 * reapply. So two nodes, or a node and another FHIR client, never lose each other's updates.
 */
final class StudySync {
  private static final int ATTEMPTS = 5;
  private static final int KNOWN_IDS = 10_000;

  private final FhirClients clients;
  private SharedResources shared;
  private final OnLastInstanceDeleted onLastInstanceDeleted;
  /**
   * FHIR id by partition and study: saves the search on each update of a study being stored.
   * Forgotten wholesale when it grows past {@link #KNOWN_IDS} (a forgotten id costs one search).
   */
  private final Map<String, String> knownIds = new ConcurrentHashMap<>();

  StudySync(FhirClients clients, OnLastInstanceDeleted onLastInstanceDeleted) {
    this.clients = clients;
    this.onLastInstanceDeleted = onLastInstanceDeleted;
  }

  /** Set once the DICOMweb address is known (after HTTP started), before the first {@link #apply}. */
  void useEndpoints(SharedResources resources) {
    this.shared = resources;
  }

  /** Throws {@link FhirFailure} when the FHIR server cannot take the changes now or at all. */
  void apply(StudyChanges changes) {
    IGenericClient client = clients.forPartition(changes.partition());
    String key = changes.partition() + "/" + changes.studyUid();
    try {
      List<InstanceFacts> stored = changes.stored();
      Reference subject = stored.isEmpty() ? null : shared.patient(client, stored.get(stored.size() - 1));
      Reference endpoint = stored.isEmpty() ? null : shared.endpoint(client, changes.partition());
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        try {
          if (write(client, key, changes, subject, endpoint)) return;
        } catch (RuntimeException e) {
          FhirFailure failure = FhirFailure.of(e);
          if (failure.kind() != FhirFailure.Kind.CONFLICT) throw failure;
          knownIds.remove(key);
        }
      }
      throw FhirFailure.transientFailure("ImagingStudy of study " + changes.studyUid() + " kept changing under us ("
          + ATTEMPTS + " conflicts)");
    } catch (RuntimeException e) {
      FhirFailure failure = FhirFailure.of(e);
      if (failure.kind() == FhirFailure.Kind.PERMANENT) shared.forgetEndpoint(changes.partition());
      throw failure;
    }
  }

  /** One read-apply-write round; false when another writer got there first (read again). */
  private boolean write(IGenericClient client, String key, StudyChanges changes, Reference subject,
      Reference endpoint) {
    ImagingStudy current = read(client, key, changes.studyUid());
    if (current == null) {
      if (changes.stored().isEmpty()) return true; // only deletes of a study FHIR never had
      ImagingStudy study = ImagingStudyMerge.newStudy(changes.studyUid());
      if (ImagingStudyMerge.apply(study, changes, subject, endpoint) == 0) return true;
      MethodOutcome outcome = client.create().resource(study).conditional()
          .where(ImagingStudy.IDENTIFIER.exactly().systemAndIdentifier(ImagingStudyMerge.DICOM_UID_SYSTEM,
              ImagingStudyMerge.uidValue(changes.studyUid()))).execute();
      if (outcome.getId() != null) remember(key, outcome.getId().getIdPart());
      // Not created: another node created it since we searched; apply our changes to theirs.
      return Boolean.TRUE.equals(outcome.getCreated());
    }
    IdType id = current.getIdElement();
    int remaining = ImagingStudyMerge.apply(current, changes, subject, endpoint);
    if (remaining == 0 && onLastInstanceDeleted == OnLastInstanceDeleted.DELETE) {
      client.delete().resourceById(id.toUnqualifiedVersionless()).execute();
      knownIds.remove(key);
      return true;
    }
    // The versioned id makes the client send If-Match: W/"version" (FHIR R4 3.1.0.5 managing concurrency).
    client.update().resource(current).withId(id.toUnqualified()).execute();
    return true;
  }

  private void remember(String key, String id) {
    if (knownIds.size() >= KNOWN_IDS) knownIds.clear();
    knownIds.put(key, id);
  }

  /** The ImagingStudy as the FHIR server has it now, by its known id or by Study Instance UID. */
  private ImagingStudy read(IGenericClient client, String key, String studyUid) {
    String known = knownIds.get(key);
    if (known != null) {
      try {
        return client.read().resource(ImagingStudy.class).withId(known).execute();
      } catch (ResourceNotFoundException | ResourceGoneException e) {
        knownIds.remove(key);
      }
    }
    Bundle found = client.search().forResource(ImagingStudy.class)
        .where(ImagingStudy.IDENTIFIER.exactly().systemAndIdentifier(ImagingStudyMerge.DICOM_UID_SYSTEM,
            ImagingStudyMerge.uidValue(studyUid)))
        .returnBundle(Bundle.class).execute();
    if (found.getEntry().isEmpty()) return null;
    if (found.getEntry().size() > 1) {
      throw FhirFailure.permanent(412, "the FHIR server has " + found.getEntry().size() + " ImagingStudy resources "
          + "for study " + studyUid + "; DICOMcast keeps one per study");
    }
    String id = found.getEntry().get(0).getResource().getIdElement().getIdPart();
    remember(key, id);
    // Read it rather than trust the search result: searches may be served from a cache.
    return client.read().resource(ImagingStudy.class).withId(id).execute();
  }
}
