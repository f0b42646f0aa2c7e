package dev.atrium.fhir;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import dev.atrium.partition.Partitions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * The resources ImagingStudies point at: the Patient (found by identifier, created if absent) and
 * the partition's DICOMweb Endpoint. Both by conditional create (If-None-Exist), so two nodes or a
 * retry never make a second one.
 */
final class SharedResources {
  static final String URI_SYSTEM = "urn:ietf:rfc:3986";
  private static final String CONNECTION_TYPE = "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";

  private final Function<String, String> dicomWebAddress;
  private final Map<String, Reference> endpoints = new ConcurrentHashMap<>();

  /** {@code dicomWebAddress}: a partition's public DICOMweb base URL. */
  SharedResources(Function<String, String> dicomWebAddress) {
    this.dicomWebAddress = dicomWebAddress;
  }

  Reference patient(IGenericClient client, InstanceFacts f) {
    if (f.patientId() == null) {
      throw FhirFailure.permanent(422, "instance " + f.sopUid() + " has no Patient ID: no FHIR Patient to refer to");
    }
    Identifier id = PatientMapping.identifier(f);
    MethodOutcome outcome = client.create().resource(PatientMapping.patient(f)).conditional()
        .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(id.getSystem(), id.getValue())).execute();
    return reference("Patient", outcome);
  }

  Reference endpoint(IGenericClient client, String partition) {
    Reference known = endpoints.get(partition);
    if (known != null) return known;
    String address = dicomWebAddress.apply(partition);
    Endpoint e = new Endpoint();
    e.addIdentifier().setSystem(URI_SYSTEM).setValue(address);
    e.setStatus(Endpoint.EndpointStatus.ACTIVE);
    e.setConnectionType(new Coding(CONNECTION_TYPE, "dicom-wado-rs", "DICOM WADO-RS"));
    e.setName("Atrium DICOMweb" + (Partitions.DEFAULT.equals(partition) ? "" : " (partition " + partition + ")"));
    e.addPayloadType(new CodeableConcept().setText("DICOM"));
    e.addPayloadMimeType("application/dicom");
    e.setAddress(address);
    MethodOutcome outcome = client.create().resource(e).conditional()
        .where(Endpoint.IDENTIFIER.exactly().systemAndIdentifier(URI_SYSTEM, address)).execute();
    Reference reference = reference("Endpoint", outcome);
    endpoints.put(partition, reference);
    return reference;
  }

  /** Forgets a partition's Endpoint, in case it was removed from the FHIR server. */
  void forgetEndpoint(String partition) {
    endpoints.remove(partition);
  }

  private static Reference reference(String type, MethodOutcome outcome) {
    if (outcome.getId() == null || !outcome.getId().hasIdPart()) {
      throw FhirFailure.transientFailure("FHIR server did not say which " + type + " it created or found");
    }
    return new Reference(type + "/" + outcome.getId().getIdPart());
  }
}
