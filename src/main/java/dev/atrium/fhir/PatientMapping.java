package dev.atrium.fhir;

import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/** A FHIR Patient from an instance's patient module (PS3.3 C.7.1.1). */
final class PatientMapping {
  private PatientMapping() {}

  /**
   * Patient ID with Issuer of Patient ID (0010,0021) as the identifier's system when present (an
   * OID as urn:oid:, FHIR systems being URIs); without an issuer the identifier has no system.
   */
  static Identifier identifier(InstanceFacts f) {
    Identifier id = new Identifier().setValue(f.patientId());
    String issuer = f.issuerOfPatientId();
    if (issuer != null) id.setSystem(issuer.matches("[0-2](\\.(0|[1-9][0-9]*))+") ? "urn:oid:" + issuer : issuer);
    return id;
  }

  static Patient patient(InstanceFacts f) {
    Patient p = new Patient();
    p.addIdentifier(identifier(f));
    HumanName name = name(f.patientName());
    if (name != null) p.addName(name);
    p.setBirthDateElement(DicomDates.date(f.birthDate()));
    if (f.sex() != null) p.setGender(gender(f.sex()));
    return p;
  }

  /** PN components family^given^middle^prefix^suffix (PS3.5 6.2.1). */
  static HumanName name(String pn) {
    if (pn == null) return null;
    String[] parts = pn.split("\\^", -1);
    HumanName name = new HumanName().setText(pn.replace('^', ' ').replaceAll("\\s+", " ").strip());
    if (!part(parts, 0).isEmpty()) name.setFamily(part(parts, 0));
    if (!part(parts, 1).isEmpty()) name.addGiven(part(parts, 1));
    if (!part(parts, 2).isEmpty()) name.addGiven(part(parts, 2));
    if (!part(parts, 3).isEmpty()) name.addPrefix(part(parts, 3));
    if (!part(parts, 4).isEmpty()) name.addSuffix(part(parts, 4));
    return name;
  }

  private static String part(String[] parts, int i) {
    return i < parts.length ? parts[i].strip() : "";
  }

  /** Patient's Sex: M, F, O (PS3.3 C.7.1.1); anything else is unknown. */
  private static AdministrativeGender gender(String sex) {
    return switch (sex) {
      case "M" -> AdministrativeGender.MALE;
      case "F" -> AdministrativeGender.FEMALE;
      case "O" -> AdministrativeGender.OTHER;
      default -> AdministrativeGender.UNKNOWN;
    };
  }
}
