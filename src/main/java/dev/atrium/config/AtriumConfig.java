package dev.atrium.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The whole configuration, immutable once loaded. */
public record AtriumConfig(
    Path dataDir, String aeTitle, Http http, Dimse dimse, Db db, Store store,
    Map<String, RemoteAe> moveDestinations, FhirSettings fhir) {

  public record Http(String bindAddress, int port, String publicBaseUrl, int maxThreads) {}

  public record Dimse(String bindAddress, int port, int maxPduLength, int maxAssociations, int idleTimeoutSeconds) {}

  /** url empty: embedded H2 under dataDir. */
  public record Db(String url, String user, String password, int poolSize) {
    public boolean embedded() {
      return url == null || url.isBlank();
    }
  }

  public record Store(DuplicatePolicy duplicatePolicyStow, DuplicatePolicy duplicatePolicyDimse) {}

  public record RemoteAe(String aeTitle, String host, int port) {
    static RemoteAe parse(String aeTitle, String hostPort) {
      int colon = hostPort.lastIndexOf(':');
      try {
        if (colon <= 0) throw new NumberFormatException();
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        if (port < 1 || port > 65535) throw new NumberFormatException();
        return new RemoteAe(aeTitle, hostPort.substring(0, colon), port);
      } catch (NumberFormatException e) {
        throw new ConfigException("move destination " + aeTitle + ": '" + hostPort + "' is not host:port");
      }
    }
  }

  public enum DuplicatePolicy { REJECT, IGNORE, OVERWRITE }

  static AtriumConfig from(JsonNode root, String extraMoveDestinations) {
    ConfigReader r = new ConfigReader(root);
    Map<String, RemoteAe> destinations = new LinkedHashMap<>();
    JsonNode configured = root.path("moveDestinations");
    configured.fields().forEachRemaining(e ->
        destinations.put(e.getKey(), RemoteAe.parse(e.getKey(), e.getValue().asText())));
    if (extraMoveDestinations != null) {
      for (String entry : extraMoveDestinations.split(",")) {
        if (entry.isBlank()) continue;
        int at = entry.indexOf('@');
        if (at <= 0) throw new ConfigException("ATRIUM_MOVE_DESTINATIONS entry '" + entry + "' is not AE@host:port");
        String ae = entry.substring(0, at).trim();
        destinations.put(ae, RemoteAe.parse(ae, entry.substring(at + 1).trim()));
      }
    }
    return new AtriumConfig(
        Path.of(r.text("dataDir")),
        r.aeTitle("aeTitle"),
        new Http(r.text("http.bindAddress"), r.port("http.port"), r.text("http.publicBaseUrl"),
            r.positiveInt("http.maxThreads")),
        new Dimse(r.text("dimse.bindAddress"), r.port("dimse.port"), r.positiveInt("dimse.maxPduLength"),
            r.positiveInt("dimse.maxAssociations"), r.positiveInt("dimse.idleTimeoutSeconds")),
        new Db(r.text("db.url"), r.text("db.user"), r.text("db.password"), r.positiveInt("db.poolSize")),
        new Store(r.duplicatePolicy("store.duplicatePolicyStow"), r.duplicatePolicy("store.duplicatePolicyDimse")),
        Collections.unmodifiableMap(destinations),
        FhirSettings.read(r, root));
  }

  /** Copy with other ports and data directory: what tests and benchmarks start. */
  public AtriumConfig withEndpoints(Path newDataDir, int httpPort, int dimsePort) {
    return new AtriumConfig(newDataDir, aeTitle,
        new Http(http.bindAddress, httpPort, http.publicBaseUrl, http.maxThreads),
        new Dimse(dimse.bindAddress, dimsePort, dimse.maxPduLength, dimse.maxAssociations, dimse.idleTimeoutSeconds),
        db, store, moveDestinations, fhir);
  }

  public AtriumConfig withDb(Db newDb) {
    return new AtriumConfig(dataDir, aeTitle, http, dimse, newDb, store, moveDestinations, fhir);
  }

  public AtriumConfig withStore(Store newStore) {
    return new AtriumConfig(dataDir, aeTitle, http, dimse, db, newStore, moveDestinations, fhir);
  }

  public AtriumConfig withFhir(FhirSettings newFhir) {
    return new AtriumConfig(dataDir, aeTitle, http, dimse, db, store, moveDestinations, newFhir);
  }
}
