package dev.atrium.fhir;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.ImagingStudy.ImagingStudySeriesComponent;
import org.hl7.fhir.r4.model.ImagingStudy.ImagingStudySeriesInstanceComponent;
import org.hl7.fhir.r4.model.ImagingStudy.ImagingStudyStatus;
import org.hl7.fhir.r4.model.Reference;

/**
 * Applies a study's changes to its ImagingStudy as read from the FHIR server: instances added or
 * updated, removed, series emptied dropped, counts and modalities recomputed. Elements other
 * writers added (notes, procedure codes, other identifiers) are kept.
 */
final class ImagingStudyMerge {
  /** FHIR R4 ImagingStudy.identifier: the Study Instance UID as a URN in this system. */
  static final String DICOM_UID_SYSTEM = "urn:dicom:uid";
  static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

  private ImagingStudyMerge() {}

  static String uidValue(String uid) {
    return "urn:oid:" + uid;
  }

  static ImagingStudy newStudy(String studyUid) {
    ImagingStudy study = new ImagingStudy();
    study.addIdentifier().setSystem(DICOM_UID_SYSTEM).setValue(uidValue(studyUid));
    study.setStatus(ImagingStudyStatus.AVAILABLE);
    return study;
  }

  /**
   * Applies the changes in order; {@code subject} and {@code endpoint} are set when the changes
   * stored instances. Returns the number of instances the study lists afterwards.
   */
  static int apply(ImagingStudy study, StudyChanges changes, Reference subject, Reference endpoint) {
    for (StudyChanges.Change change : changes.changes()) {
      if (change instanceof StudyChanges.Stored stored) {
        store(study, stored.facts());
      } else if (change instanceof StudyChanges.Removed removed) {
        removeInstance(study, removed.sopUid());
      }
    }
    if (subject != null) study.setSubject(subject);
    if (endpoint != null && study.getEndpoint().stream().noneMatch(e -> e.getReference().equals(endpoint.getReference()))) {
      study.addEndpoint(endpoint);
    }
    return recount(study);
  }

  private static void store(ImagingStudy study, InstanceFacts f) {
    removeInstance(study, f.sopUid()); // it may have moved to another series (stored again)
    ImagingStudySeriesComponent series = series(study, f.seriesUid());
    if (f.seriesNumber() != null) series.setNumber(f.seriesNumber());
    if (f.modality() != null) series.setModality(new Coding(DCM, f.modality(), null));
    if (f.seriesDescription() != null) series.setDescription(f.seriesDescription());
    if (f.bodyPart() != null) series.setBodySite(new Coding().setCode(f.bodyPart()).setDisplay(f.bodyPart()));
    DateTimeType seriesStarted = DicomDates.dateTime(f.seriesDate(), f.seriesTime(), f.timezoneOffset());
    if (seriesStarted != null) series.setStartedElement(seriesStarted);
    ImagingStudySeriesInstanceComponent instance = series.addInstance().setUid(f.sopUid());
    if (f.sopClassUid() != null) instance.setSopClass(new Coding("urn:ietf:rfc:3986", uidValue(f.sopClassUid()), null));
    if (f.instanceNumber() != null) instance.setNumber(f.instanceNumber());

    DateTimeType started = DicomDates.dateTime(f.studyDate(), f.studyTime(), f.timezoneOffset());
    if (started != null) study.setStartedElement(started);
    if (f.studyDescription() != null) study.setDescription(f.studyDescription());
    if (f.accessionNumber() != null) setAccession(study, f.accessionNumber());
  }

  private static ImagingStudySeriesComponent series(ImagingStudy study, String uid) {
    for (ImagingStudySeriesComponent s : study.getSeries()) {
      if (uid.equals(s.getUid())) return s;
    }
    return study.addSeries().setUid(uid);
  }

  private static void removeInstance(ImagingStudy study, String sopUid) {
    for (Iterator<ImagingStudySeriesComponent> series = study.getSeries().iterator(); series.hasNext(); ) {
      ImagingStudySeriesComponent s = series.next();
      boolean removed = s.getInstance().removeIf(i -> sopUid.equals(i.getUid()));
      if (removed && s.getInstance().isEmpty()) series.remove();
    }
  }

  /** Accession Number as an identifier of type ACSN (FHIR R4 ImagingStudy.identifier notes). */
  private static void setAccession(ImagingStudy study, String accession) {
    study.getIdentifier().removeIf(ImagingStudyMerge::isAccession);
    Identifier id = study.addIdentifier().setValue(accession);
    id.setType(new CodeableConcept(new Coding(V2_0203, "ACSN", "Accession ID")));
  }

  private static boolean isAccession(Identifier id) {
    return id.getType().getCoding().stream().anyMatch(c -> V2_0203.equals(c.getSystem()) && "ACSN".equals(c.getCode()));
  }

  /** numberOfSeries/Instances, the modality list and the status follow the series as they are now. */
  private static int recount(ImagingStudy study) {
    int instances = 0;
    Map<String, Coding> modalities = new LinkedHashMap<>();
    for (ImagingStudySeriesComponent s : study.getSeries()) {
      s.setNumberOfInstances(s.getInstance().size());
      instances += s.getInstance().size();
      if (s.hasModality()) modalities.putIfAbsent(s.getModality().getCode(), s.getModality().copy());
    }
    study.setNumberOfSeries(study.getSeries().size());
    study.setNumberOfInstances(instances);
    study.getModality().clear();
    modalities.values().forEach(study::addModality);
    study.setStatus(instances > 0 ? ImagingStudyStatus.AVAILABLE : ImagingStudyStatus.ENTEREDINERROR);
    return instances;
  }
}
