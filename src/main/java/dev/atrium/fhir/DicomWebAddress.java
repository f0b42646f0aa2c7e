package dev.atrium.fhir;

import dev.atrium.config.AtriumConfig;
import dev.atrium.partition.Partitions;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The public DICOMweb base URL of each partition, as an Endpoint resource's address (FHIR R4 Endpoint.address). */
final class DicomWebAddress {
  private final String base;

  private DicomWebAddress(String base) {
    this.base = base;
  }

  /**
   * fhir.endpointBaseUrl, else http.publicBaseUrl, else this host's name (or the bind address
   * when HTTP listens on one address only) and the HTTP port.
   */
  static DicomWebAddress of(AtriumConfig config, int httpPort) {
    String base = config.fhir().endpointBaseUrl();
    if (base.isEmpty()) base = config.http().publicBaseUrl().strip();
    if (base.isEmpty()) {
      String bind = config.http().bindAddress();
      base = "http://" + (bind.isBlank() || bind.equals("0.0.0.0") || bind.equals("::") ? hostName() : bind) + ":"
          + httpPort;
    }
    while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
    return new DicomWebAddress(base);
  }

  /** /dicom-web for the default partition, /dicom-web/partitions/{name} for the others. */
  String forPartition(String partition) {
    return base + "/dicom-web" + (Partitions.DEFAULT.equals(partition) ? "" : "/partitions/" + partition);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
