package dev.atrium.dimse;

import dev.atrium.dicom.TagHex;
import static dev.atrium.query.QueryAttributes.QUERY_RETRIEVE_LEVEL;

import dev.atrium.dicom.DicomIdentifier;
import dev.atrium.dicom.DicomParseException;
import dev.atrium.dicom.SopClasses;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DimseExchange;
import dev.atrium.query.QueryLevel;
import java.io.IOException;
import java.io.InputStream;

/**
 * What the Patient Root and Study Root Query/Retrieve Information Models (PS3.4 C.6.1, C.6.2) share across
 * C-FIND, C-MOVE and C-GET: their SOP classes, their levels, and the failure response to an identifier.
 */
final class InformationModel {
  private InformationModel() {}

  static boolean isPatientRoot(String sopClassUid) {
    return SopClasses.PATIENT_ROOT_FIND.equals(sopClassUid) || SopClasses.PATIENT_ROOT_MOVE.equals(sopClassUid)
        || SopClasses.PATIENT_ROOT_GET.equals(sopClassUid);
  }

  static QueryLevel level(String value, boolean patientRoot) throws Refusal {
    if (value == null || value.isEmpty()) {
      throw new Refusal(CommandSet.STATUS_DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
          "no QueryRetrieveLevel " + tagString(QUERY_RETRIEVE_LEVEL), QUERY_RETRIEVE_LEVEL);
    }
    QueryLevel level = switch (value) {
      case "PATIENT" -> patientRoot ? QueryLevel.PATIENT : null;
      case "STUDY" -> QueryLevel.STUDY;
      case "SERIES" -> QueryLevel.SERIES;
      case "IMAGE" -> QueryLevel.INSTANCE;
      default -> null;
    };
    if (level == null) {
      throw new Refusal(CommandSet.STATUS_DATA_SET_DOES_NOT_MATCH_SOP_CLASS, "QueryRetrieveLevel " + value
          + " is not a level of the " + (patientRoot ? "Patient" : "Study") + " Root model", QUERY_RETRIEVE_LEVEL);
    }
    return level;
  }

  /** Single Value Matching (PS3.4 C.2.2.2.1): a value, no wildcard, not a list. */
  static boolean isSingleValue(String value) {
    return !value.isBlank() && value.chars().noneMatch(c -> c == '*' || c == '?' || c == '\\');
  }

  /** Turns an identifier into what a service needs, or refuses it. */
  interface Translator<T> {
    T translate(DicomIdentifier identifier, boolean patientRoot) throws Refusal;
  }

  /**
   * Reads the request's identifier in the context's transfer syntax and translates it by the request's model;
   * when it cannot be read (C000) or does not fit the model, answers the request and returns null.
   */
  static <T> T readIdentifier(DimseExchange exchange, CommandSet request, InputStream dataSet,
      Translator<T> translator) throws IOException {
    try {
      if (dataSet == null) throw new Refusal(CommandSet.STATUS_CANNOT_UNDERSTAND, "request without an identifier", 0);
      DicomIdentifier identifier = DicomIdentifier.read(dataSet, exchange.transferSyntaxUid());
      return translator.translate(identifier, isPatientRoot(request.sopClassUid()));
    } catch (DicomParseException e) {
      finish(exchange, request, CommandSet.STATUS_CANNOT_UNDERSTAND, e.getMessage(), 0);
    } catch (Refusal r) {
      finish(exchange, request, r.status, r.getMessage(), r.offendingTag);
    }
    return null;
  }

  /** A final response; on failure naming what was wrong: Error Comment, and Offending Element when known. */
  static void finish(DimseExchange exchange, CommandSet request, int status, String comment, int offendingTag)
      throws IOException {
    CommandSet response = CommandSet.responseTo(request, request.commandField() | CommandSet.RESPONSE_BIT, status);
    if (comment != null) response.setLO(CommandSet.ERROR_COMMENT, comment); // LO: cut at 64 characters
    if (offendingTag != 0) {
      response.setBytes(CommandSet.OFFENDING_ELEMENT, new byte[] {(byte) (offendingTag >>> 16),
          (byte) (offendingTag >>> 24), (byte) offendingTag, (byte) (offendingTag >>> 8)});
    }
    exchange.sendResponse(response, null);
  }

  static String tagString(int tag) {
    return TagHex.display(tag);
  }
}
