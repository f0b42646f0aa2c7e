package dev.atrium;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import dev.atrium.config.FhirSettings;
import dev.atrium.config.FhirSettings.OnLastInstanceDeleted;
import dev.atrium.index.FhirSyncIndex;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.FhirTestServer;
import dev.atrium.support.Http;
import dev.atrium.support.Multipart;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import dev.atrium.support.TestInstances.Uids;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.ImagingStudy.ImagingStudySeriesComponent;
import org.hl7.fhir.r4.model.ImagingStudy.ImagingStudySeriesInstanceComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * DICOMcast against a real FHIR server (HAPI FHIR JPA, started once per class): what C-STORE and
 * STOW-RS store, and what DELETE removes, shows up as Patient, ImagingStudy and Endpoint
 * resources that FHIR searches find; outages and rejections do not lose or duplicate anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FhirSyncContract {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String ISSUER = "fhir-issuer";
  private static final String CT_IMAGE_STORAGE = "urn:oid:1.2.840.10008.5.1.4.1.1.2";

  private MockOAuth2Server oauth;
  private FhirTestServer fhirServer;
  private IGenericClient fhir;
  private TestArchive archive;
  private Path dataDir;
  private Path work;

  abstract TestDatabase database();

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("atrium-data");
    work = Files.createTempDirectory("atrium-work");
    oauth = new MockOAuth2Server();
    oauth.start();
    fhirServer = new FhirTestServer(oauth.jwksUrl(ISSUER).url());
    fhir = fhirServer.client();
    archive = syncingArchive(dataDir, OnLastInstanceDeleted.ENTERED_IN_ERROR);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (archive != null) archive.close();
    } finally {
      if (fhirServer != null) fhirServer.close();
      if (oauth != null) oauth.shutdown();
      TempFiles.delete(dataDir);
      TempFiles.delete(work);
    }
  }

  /**
   * An archive syncing to the test FHIR server: with OAuth2 client credentials from the test
   * issuer (the main archive), or with HTTP Basic (the one that deletes ImagingStudies).
   */
  private TestArchive syncingArchive(Path dir, OnLastInstanceDeleted onLastDeleted) throws Exception {
    FhirSettings.Auth auth = onLastDeleted == OnLastInstanceDeleted.DELETE
        ? new FhirSettings.Auth(FhirSettings.AuthType.BASIC, FhirTestServer.USER, FhirTestServer.PASSWORD, "", "", "",
            "")
        : new FhirSettings.Auth(FhirSettings.AuthType.OAUTH2_CLIENT_CREDENTIALS, "", "",
            oauth.tokenEndpointUrl(ISSUER).toString(), "atrium-sync", "client-secret", "fhir");
    return new TestArchive(database(), dir, config -> config.withFhir(new FhirSettings(true, fhirServer.baseUrl(), "",
        auth, 20, 100, onLastDeleted, Map.of())));
  }

  @Test
  void theFhirServerRefusesRequestsWithoutCredentials() throws Exception {
    assertThat(Http.get(fhirServer.baseUrl() + "/Patient", null).statusCode()).isEqualTo(401);
  }

  @Test
  void storedStudiesBecomeOnePatientImagingStudiesAndTheEndpoint() throws Exception {
    String patientId = "PID-" + TestInstances.newUid();
    Map<AttributeTag, String> patient = Map.of(TagFromName.PatientID, patientId,
        TagFromName.IssuerOfPatientID, "1.2.826.0.1.3680043.10.1", TagFromName.PatientName, "DOE^JANE",
        TagFromName.PatientBirthDate, "19500101", TagFromName.PatientSex, "F");
    String studyA = TestInstances.newUid();
    String studyB = TestInstances.newUid();
    Uids a1 = new Uids(studyA, TestInstances.newUid(), TestInstances.newUid());
    Uids a2 = new Uids(studyA, a1.series(), TestInstances.newUid());
    Uids a3 = new Uids(studyA, TestInstances.newUid(), TestInstances.newUid());
    Uids b1 = new Uids(studyB, TestInstances.newUid(), TestInstances.newUid());
    Map<AttributeTag, String> studyAttributes = with(patient, TagFromName.StudyDescription, "CT CHEST",
        TagFromName.AccessionNumber, "ACC-" + a1.sop().substring(a1.sop().length() - 8), TagFromName.StudyDate,
        "20240102", TagFromName.StudyTime, "101500", TagFromName.BodyPartExamined, "CHEST");
    cStore(instance(a1, with(studyAttributes, TagFromName.SeriesNumber, "1", TagFromName.InstanceNumber, "1")),
        instance(a2, with(studyAttributes, TagFromName.SeriesNumber, "1", TagFromName.InstanceNumber, "2")));
    stow(instance(a3, with(studyAttributes, TagFromName.SeriesNumber, "2", TagFromName.InstanceNumber, "1")));
    stow(instance(b1, with(patient, TagFromName.Modality, "MR")));
    awaitSynced();

    ImagingStudy a = single("ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + studyA, ImagingStudy.class);
    assertThat(findAll("ImagingStudy?identifier=urn:oid:" + studyA)).hasSize(1);
    assertThat(a.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    assertThat(a.getNumberOfSeries()).isEqualTo(2);
    assertThat(a.getNumberOfInstances()).isEqualTo(3);
    assertThat(a.getDescription()).isEqualTo("CT CHEST");
    assertThat(a.getStartedElement().getValueAsString()).startsWith("2024-01-02T10:15:00");
    assertThat(a.getModality()).extracting(c -> c.getSystem() + "|" + c.getCode())
        .containsExactly("http://dicom.nema.org/resources/ontology/DCM|CT");
    assertThat(a.getIdentifier()).extracting(Identifier::getValue)
        .contains("urn:oid:" + studyA, "ACC-" + a1.sop().substring(a1.sop().length() - 8));
    ImagingStudySeriesComponent series1 = series(a, a1.series());
    assertThat(series1.getNumber()).isEqualTo(1);
    assertThat(series1.getModality().getCode()).isEqualTo("CT");
    assertThat(series1.getBodySite().getCode()).isEqualTo("CHEST");
    assertThat(series1.getNumberOfInstances()).isEqualTo(2);
    assertThat(series1.getInstance()).extracting(ImagingStudySeriesInstanceComponent::getUid)
        .containsExactlyInAnyOrder(a1.sop(), a2.sop());
    assertThat(series1.getInstance()).extracting(i -> i.getSopClass().getCode()).containsOnly(CT_IMAGE_STORAGE);
    assertThat(series1.getInstance()).extracting(ImagingStudySeriesInstanceComponent::getNumber)
        .containsExactlyInAnyOrder(1, 2);
    assertThat(series(a, a3.series()).getInstance()).extracting(ImagingStudySeriesInstanceComponent::getUid)
        .containsExactly(a3.sop());

    Patient p = fhir.read().resource(Patient.class).withId(a.getSubject().getReferenceElement()).execute();
    assertThat(p.getIdentifierFirstRep().getSystem()).isEqualTo("urn:oid:1.2.826.0.1.3680043.10.1");
    assertThat(p.getIdentifierFirstRep().getValue()).isEqualTo(patientId);
    assertThat(p.getNameFirstRep().getFamily()).isEqualTo("DOE");
    assertThat(p.getNameFirstRep().getGivenAsSingleString()).isEqualTo("JANE");
    assertThat(p.getBirthDateElement().getValueAsString()).isEqualTo("1950-01-01");
    assertThat(p.getGender()).isEqualTo(AdministrativeGender.FEMALE);
    String patientSearch = "patient.identifier=urn:oid:1.2.826.0.1.3680043.10.1|" + patientId;
    assertThat(findAll("Patient?identifier=urn:oid:1.2.826.0.1.3680043.10.1|" + patientId)).hasSize(1);

    Endpoint endpoint = endpointOf(a);
    // No public base URL configured: this host's name, the archive's HTTP port, /dicom-web.
    URI address = URI.create(endpoint.getAddress());
    assertThat(address.getPort()).isEqualTo(URI.create(archive.dicomWeb()).getPort());
    assertThat(address.getPath()).isEqualTo("/dicom-web");
    assertThat(endpoint.getConnectionType().getCode()).isEqualTo("dicom-wado-rs");
    assertThat(findAll("Endpoint?identifier=" + endpoint.getAddress())).hasSize(1);

    assertThat(uids(findAll("ImagingStudy?" + patientSearch))).containsExactlyInAnyOrder(studyA, studyB);
    assertThat(uids(findAll("ImagingStudy?modality=CT&" + patientSearch))).containsExactly(studyA);
    assertThat(uids(findAll("ImagingStudy?modality=CT"))).contains(studyA).doesNotContain(studyB);
    ImagingStudy b = single("ImagingStudy?identifier=urn:oid:" + studyB, ImagingStudy.class);
    assertThat(b.getSubject().getReference()).isEqualTo(a.getSubject().getReference());
    assertThat(b.getEndpointFirstRep().getReference()).isEqualTo(a.getEndpointFirstRep().getReference());
  }

  @Test
  void eachPartitionHasItsOwnEndpoint() throws Exception {
    Uids inDefault = TestInstances.fresh();
    Uids inClinic = TestInstances.fresh();
    stow(instance(inDefault, Map.of(TagFromName.PatientID, "PID-" + inDefault.sop())));
    HttpResponse<String> r = Http.post(archive.dicomWeb() + "/partitions/CLINIC-A/studies", Multipart.CONTENT_TYPE,
        Multipart.body(instance(inClinic, Map.of(TagFromName.PatientID, "PID-" + inClinic.sop()))));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    awaitSynced();

    Endpoint clinic = endpointOf(single("ImagingStudy?identifier=urn:oid:" + inClinic.study(), ImagingStudy.class));
    Endpoint standard = endpointOf(single("ImagingStudy?identifier=urn:oid:" + inDefault.study(), ImagingStudy.class));
    assertThat(URI.create(clinic.getAddress()).getPath()).isEqualTo("/dicom-web/partitions/CLINIC-A");
    assertThat(URI.create(standard.getAddress()).getPath()).isEqualTo("/dicom-web");
    HttpResponse<byte[]> study = Http.getBytes(clinic.getAddress() + "/studies/" + inClinic.study(),
        "multipart/related; type=\"application/dicom\"");
    assertThat(study.statusCode()).isEqualTo(200);
  }

  @Test
  void deletingAnInstanceASeriesAndTheStudyIsFollowedAndOtherWritersEditsAreKept() throws Exception {
    String study = TestInstances.newUid();
    Uids ct1 = new Uids(study, TestInstances.newUid(), TestInstances.newUid());
    Uids ct2 = new Uids(study, ct1.series(), TestInstances.newUid());
    Uids mr = new Uids(study, TestInstances.newUid(), TestInstances.newUid());
    Map<AttributeTag, String> patient = Map.of(TagFromName.PatientID, "PID-" + study);
    stow(instance(ct1, patient), instance(ct2, patient), instance(mr, with(patient, TagFromName.Modality, "MR")));
    awaitSynced();
    ImagingStudy s = single("ImagingStudy?identifier=urn:oid:" + study, ImagingStudy.class);
    assertThat(s.getNumberOfInstances()).isEqualTo(3);
    // Another FHIR client annotates the study; the sync's later updates must keep the note.
    s.addNote(new Annotation().setText("reviewed"));
    fhir.update().resource(s).execute();

    assertThat(delete("/studies/" + study + "/series/" + ct1.series() + "/instances/" + ct1.sop())).isEqualTo(204);
    awaitSynced();
    s = single("ImagingStudy?identifier=urn:oid:" + study, ImagingStudy.class);
    assertThat(s.getNumberOfInstances()).isEqualTo(2);
    assertThat(series(s, ct1.series()).getInstance()).extracting(ImagingStudySeriesInstanceComponent::getUid)
        .containsExactly(ct2.sop());
    assertThat(s.getNoteFirstRep().getText()).isEqualTo("reviewed");

    assertThat(delete("/studies/" + study + "/series/" + ct1.series())).isEqualTo(204);
    awaitSynced();
    s = single("ImagingStudy?identifier=urn:oid:" + study, ImagingStudy.class);
    assertThat(s.getNumberOfSeries()).isEqualTo(1);
    assertThat(s.getSeries()).extracting(ImagingStudySeriesComponent::getUid).containsExactly(mr.series());
    assertThat(s.getModality()).extracting(c -> c.getCode()).containsExactly("MR");
    assertThat(uids(findAll("ImagingStudy?modality=CT"))).doesNotContain(study);

    assertThat(delete("/studies/" + study)).isEqualTo(204);
    awaitSynced();
    s = single("ImagingStudy?identifier=urn:oid:" + study, ImagingStudy.class);
    assertThat(s.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.ENTEREDINERROR);
    assertThat(s.getSeries()).isEmpty();
    assertThat(s.getNumberOfInstances()).isZero();
    assertThat(s.getNoteFirstRep().getText()).isEqualTo("reviewed");
  }

  @Test
  void anotherFhirWriterEditingTheImagingStudyDuringIngestLosesNothingAndNeitherDoWe() throws Exception {
    Uids first = TestInstances.fresh();
    Map<AttributeTag, String> patient = Map.of(TagFromName.PatientID, "PID-" + first.study());
    stow(instance(first, patient));
    awaitSynced();
    List<String> expected = new ArrayList<>(List.of(first.sop()));
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      Uids u = new Uids(first.study(), first.series(), TestInstances.newUid());
      expected.add(u.sop());
      files.add(instance(u, patient));
    }
    // The other writer adds notes with If-Match too, re-reading when the sync got there first.
    var notes = java.util.concurrent.CompletableFuture.runAsync(() -> {
      for (int n = 0; n < 12; n++) {
        for (int attempt = 0; ; attempt++) {
          ImagingStudy s = single("ImagingStudy?identifier=urn:oid:" + first.study(), ImagingStudy.class);
          s.addNote(new Annotation().setText("note " + n));
          try {
            fhir.update().resource(s).withId(s.getIdElement().toUnqualified()).execute();
            break;
          } catch (ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException
              | ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException conflict) {
            assertThat(attempt).as("note " + n + " conflicts").isLessThan(100);
          }
        }
      }
    });
    for (Path file : files) stow(file);
    notes.join();
    awaitSynced();

    ImagingStudy s = single("ImagingStudy?identifier=urn:oid:" + first.study(), ImagingStudy.class);
    assertThat(series(s, first.series()).getInstance()).extracting(ImagingStudySeriesInstanceComponent::getUid)
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(s.getNote()).extracting(Annotation::getText).hasSize(12);
  }

  @Test
  void withDeleteConfiguredTheLastInstanceTakesTheImagingStudyAlong() throws Exception {
    Path otherData = Files.createTempDirectory("atrium-data");
    try (TestArchive other = syncingArchive(otherData, OnLastInstanceDeleted.DELETE)) {
      Uids uids = TestInstances.fresh();
      stow(other, instance(uids, Map.of(TagFromName.PatientID, "PID-" + uids.study())));
      awaitSynced(other);
      assertThat(findAll("ImagingStudy?identifier=urn:oid:" + uids.study())).hasSize(1);
      assertThat(delete(other, "/studies/" + uids.study())).isEqualTo(204);
      awaitSynced(other);
      assertThat(findAll("ImagingStudy?identifier=urn:oid:" + uids.study())).isEmpty();
    } finally {
      TempFiles.delete(otherData);
    }
  }

  @Test
  void aFhirOutageDuringIngestLosesAndDuplicatesNothing() throws Exception {
    String patientId = "PID-" + TestInstances.newUid();
    Map<AttributeTag, String> patient = Map.of(TagFromName.PatientID, patientId);
    Uids first = TestInstances.fresh();
    stow(instance(first, patient));
    awaitSynced();

    fhirServer.goOffline();
    List<String> expected = new ArrayList<>(List.of(first.sop()));
    String otherStudy = TestInstances.newUid();
    List<Path> viaStow = new ArrayList<>();
    List<Path> viaDimse = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        Uids u = new Uids(first.study(), i % 2 == 0 ? first.series() : first.study() + ".7", TestInstances.newUid());
        expected.add(u.sop());
        viaStow.add(instance(u, patient));
      }
      for (int i = 0; i < 4; i++) {
        viaDimse.add(instance(new Uids(otherStudy, otherStudy + ".1", otherStudy + ".1." + i), patient));
      }
      stow(viaStow.subList(0, 15).toArray(Path[]::new));
      cStore(viaDimse.toArray(Path[]::new));
      JsonNode status = awaitState("retrying");
      assertThat(status.get("lag").asLong()).isPositive();
      assertThat(status.get("lastError").asText()).contains("unreachable");
      stow(viaStow.subList(15, 30).toArray(Path[]::new));
    } finally {
      fhirServer.goOnline();
    }
    awaitSynced();

    List<Resource> studies = findAll("ImagingStudy?identifier=urn:oid:" + first.study());
    assertThat(studies).hasSize(1);
    ImagingStudy s = (ImagingStudy) studies.get(0);
    List<String> listed = new ArrayList<>();
    s.getSeries().forEach(series -> series.getInstance().forEach(i -> listed.add(i.getUid())));
    assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(s.getNumberOfInstances()).isEqualTo(31);
    ImagingStudy other = single("ImagingStudy?identifier=urn:oid:" + otherStudy, ImagingStudy.class);
    assertThat(other.getNumberOfInstances()).isEqualTo(4);
    assertThat(findAll("Patient?identifier=" + patientId)).hasSize(1);
  }

  @Test
  void aRejectedChangeIsRecordedAndTheSyncMovesOn() throws Exception {
    Uids rejected = TestInstances.fresh();
    Uids accepted = TestInstances.fresh();
    stow(instance(rejected, Map.of(TagFromName.PatientID, FhirTestServer.REJECTED_ID_PREFIX + "-" + rejected.sop())));
    stow(instance(accepted, Map.of(TagFromName.PatientID, "PID-" + accepted.sop())));
    awaitSynced();

    assertThat(findAll("ImagingStudy?identifier=urn:oid:" + rejected.study())).isEmpty();
    assertThat(findAll("ImagingStudy?identifier=urn:oid:" + accepted.study())).hasSize(1);
    JsonNode errors = JSON.readTree(Http.get(archive.baseUrl() + "/fhir-sync/errors?limit=1000", null).body());
    JsonNode error = null;
    for (JsonNode e : errors) {
      if (e.get("studyInstanceUid").asText().equals(rejected.study())) error = e;
    }
    assertThat(error).as(errors.toString()).isNotNull();
    assertThat(error.get("status").asInt()).isEqualTo(422);
    assertThat(error.get("message").asText()).contains("not allowed by this server's profile");
    assertThat(error.get("sequence").asLong()).isPositive();
    assertThat(status().get("errors").asInt()).isPositive();
    assertThat(Http.get(archive.baseUrl() + "/fhir-sync/errors?limit=0", null).statusCode()).isEqualTo(400);
  }

  @Test
  void cohortQueryFindsStudiesInFhirAndRetrievesThemThroughTheEndpoint() throws Exception {
    String tag = TestInstances.newUid();
    Uids oldCt = TestInstances.fresh();
    Uids youngCt = TestInstances.fresh();
    Uids oldMr = TestInstances.fresh();
    stow(instance(oldCt, Map.of(TagFromName.PatientID, "OLD-" + tag, TagFromName.PatientBirthDate, "19400505")),
        instance(youngCt, Map.of(TagFromName.PatientID, "YOUNG-" + tag, TagFromName.PatientBirthDate, "19900505")),
        instance(oldMr, Map.of(TagFromName.PatientID, "OLD-" + tag, TagFromName.PatientBirthDate, "19400505",
            TagFromName.Modality, "MR")));
    awaitSynced();

    List<Resource> cohort = findAll("ImagingStudy?modality=CT&patient.birthdate=lt1960-01-01");
    assertThat(uids(cohort)).contains(oldCt.study()).doesNotContain(youngCt.study(), oldMr.study());
    for (Resource r : cohort) {
      ImagingStudy s = (ImagingStudy) r;
      if (!uidOf(s).equals(oldCt.study())) continue;
      Endpoint endpoint = endpointOf(s);
      HttpResponse<byte[]> study = Http.getBytes(endpoint.getAddress() + "/studies/" + uidOf(s),
          "multipart/related; type=\"application/dicom\"");
      assertThat(study.statusCode()).isEqualTo(200);
      assertThat(new String(study.body(), StandardCharsets.ISO_8859_1)).contains(oldCt.sop());
    }
  }

  @Test
  void onlyTheLeaseHolderMovesTheCheckpoint() throws Exception {
    JsonNode status = awaitState("idle");
    assertThat(status.get("leaseOwner").asText()).isEqualTo(status.get("node").asText());
    FhirSyncIndex index = new FhirSyncIndex(archive.index());
    assertThat(index.tryLease("another-node", 30)).isFalse();
    assertThat(index.advance("another-node", status.get("latestSequence").asLong() + 1000, 30)).isFalse();
    assertThat(index.state().checkpoint()).isEqualTo(status.get("checkpoint").asLong());
  }

  // --- helpers

  private static Map<AttributeTag, String> with(Map<AttributeTag, String> base, Object... tagValues) {
    Map<AttributeTag, String> values = new HashMap<>(base);
    for (int i = 0; i < tagValues.length; i += 2) values.put((AttributeTag) tagValues[i], (String) tagValues[i + 1]);
    return values;
  }

  private Path instance(Uids uids, Map<AttributeTag, String> values) throws Exception {
    return TestInstances.ct(work, uids, values);
  }

  private void stow(Path... files) throws Exception {
    stow(archive, files);
  }

  private static void stow(TestArchive target, Path... files) throws Exception {
    HttpResponse<String> r = Http.post(target.dicomWeb() + "/studies", Multipart.CONTENT_TYPE, Multipart.body(files));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private void cStore(Path... files) throws Exception {
    List<String> command = new ArrayList<>(List.of("storescu", "-aec", archive.aeTitle(), "127.0.0.1",
        String.valueOf(archive.dimsePort())));
    for (Path f : files) command.add(f.toString());
    Dcmtk.Result r = Dcmtk.run(120, command);
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  private int delete(String path) throws Exception {
    return delete(archive, path);
  }

  private static int delete(TestArchive target, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(target.dicomWeb() + path)).DELETE().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private JsonNode status() throws Exception {
    return status(archive);
  }

  private static JsonNode status(TestArchive target) throws Exception {
    HttpResponse<String> r = Http.get(target.baseUrl() + "/fhir-sync", null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private void awaitSynced() throws Exception {
    awaitSynced(archive);
  }

  /** Polls /fhir-sync, a bounded number of times, until the checkpoint reaches the newest change. */
  private static void awaitSynced(TestArchive target) throws Exception {
    JsonNode s = status(target);
    for (int i = 0; i < 1200 && !(s.get("lag").asLong() == 0 && s.get("state").asText().equals("idle")); i++) {
      Thread.sleep(100);
      s = status(target);
    }
    assertThat(s.get("lag").asLong()).as(s.toString()).isZero();
    assertThat(s.get("state").asText()).as(s.toString()).isEqualTo("idle");
  }

  private JsonNode awaitState(String state) throws Exception {
    JsonNode s = status();
    for (int i = 0; i < 1200 && !s.get("state").asText().equals(state); i++) {
      Thread.sleep(100);
      s = status();
    }
    assertThat(s.get("state").asText()).as(s.toString()).isEqualTo(state);
    return s;
  }

  private List<Resource> findAll(String query) {
    List<Resource> found = new ArrayList<>();
    Bundle page = fhir.search().byUrl(query).count(500).returnBundle(Bundle.class).execute();
    while (true) {
      page.getEntry().forEach(e -> found.add(e.getResource()));
      if (page.getLink(Bundle.LINK_NEXT) == null) return found;
      page = fhir.loadPage().next(page).execute();
    }
  }

  private <T extends Resource> T single(String query, Class<T> type) {
    List<Resource> found = findAll(query);
    assertThat(found).as(query).hasSize(1);
    return type.cast(found.get(0));
  }

  private Endpoint endpointOf(ImagingStudy study) {
    return fhir.read().resource(Endpoint.class).withId(study.getEndpointFirstRep().getReferenceElement()).execute();
  }

  private static ImagingStudySeriesComponent series(ImagingStudy study, String uid) {
    return study.getSeries().stream().filter(s -> uid.equals(s.getUid())).findFirst()
        .orElseThrow(() -> new AssertionError("no series " + uid + " in the ImagingStudy"));
  }

  private static String uidOf(ImagingStudy s) {
    return s.getIdentifier().stream().filter(i -> "urn:dicom:uid".equals(i.getSystem())).findFirst()
        .map(i -> i.getValue().substring("urn:oid:".length())).orElse("");
  }

  private static List<String> uids(List<Resource> studies) {
    return studies.stream().map(r -> uidOf((ImagingStudy) r)).toList();
  }
}
