package dev.atrium.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The whole configuration, immutable once loaded. */
public record AtriumConfig(
    Path dataDir, String aeTitle, Http http, Dimse dimse, Db db, Store store,
    Map<String, RemoteAe> moveDestinations, Security security, Tls tls, Audit audit, FhirSettings fhir) {

  /**
   * {@code tlsPort}: HTTPS, served when {@link Tls#configured()}. Limits: request headers
   * ({@code maxHeaderBytes}, beyond: 431), request bodies ({@code maxRequestBytes}, beyond: 413),
   * and how long a connection may sit without sending or taking bytes ({@code idleTimeoutSeconds}).
   */
  public record Http(String bindAddress, int port, String publicBaseUrl, int maxThreads, int tlsPort,
      int maxHeaderBytes, long maxRequestBytes, int idleTimeoutSeconds, Cors cors) {

    public Http withLimits(int newMaxHeaderBytes, long newMaxRequestBytes, int newIdleTimeoutSeconds) {
      return new Http(bindAddress, port, publicBaseUrl, maxThreads, tlsPort, newMaxHeaderBytes, newMaxRequestBytes,
          newIdleTimeoutSeconds, cors);
    }

    public Http withCors(Cors newCors) {
      return new Http(bindAddress, port, publicBaseUrl, maxThreads, tlsPort, maxHeaderBytes, maxRequestBytes,
          idleTimeoutSeconds, newCors);
    }
  }

  /**
   * Key material for HTTPS and DICOM TLS: a PKCS#12 or JKS key store, or a PEM certificate chain
   * with its PKCS#8 PEM private key; {@code trustedCertificates} (PEM) sign the client
   * certificates DICOM TLS accepts.
   */
  public record Tls(String keyStore, String keyStorePassword, String certificateChain, String privateKey,
      String trustedCertificates) {
    public boolean configured() {
      return !keyStore.isBlank() || !certificateChain.isBlank();
    }
  }

  /**
   * The audit trail: a local append-only file under {@code directory} (empty: dataDir/audit), sent
   * on to syslog when {@code syslogHost} is set ({@code syslogProtocol} tls, tcp or udp;
   * {@code syslogTrustedCertificates}: PEM CA of the collector, empty = the JVM's trust store). The file is
   * closed (renamed audit-N.log) before it passes {@code maxFileBytes} (0: never); {@code keepClosedFiles} of those
   * are kept, the oldest removed once sent (0: all kept).
   */
  public record Audit(boolean enabled, String directory, String sourceId, String syslogHost, int syslogPort,
      String syslogProtocol, String syslogTrustedCertificates, long maxFileBytes, int keepClosedFiles) {
    public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;

    /** With the default file size and every closed file kept. */
    public Audit(boolean enabled, String directory, String sourceId, String syslogHost, int syslogPort,
        String syslogProtocol, String syslogTrustedCertificates) {
      this(enabled, directory, sourceId, syslogHost, syslogPort, syslogProtocol, syslogTrustedCertificates,
          DEFAULT_MAX_FILE_BYTES, 0);
    }
  }

  /** DICOM TLS client authentication (PS3.15 B.1): none, want (checked when sent) or need. */
  public enum ClientAuth { NONE, WANT, NEED }

  /**
   * {@code remoteAes}: calling AEs allowed to associate (empty: any); {@code calledAePartitions}:
   * further called AE titles we answer to, each serving one data partition.
   */
  public record Dimse(String bindAddress, int port, int maxPduLength, int maxAssociations, int idleTimeoutSeconds,
      Map<String, KnownAe> remoteAes, Map<String, String> calledAePartitions, int tlsPort, ClientAuth tlsClientAuth) {

    public Dimse withAccess(Map<String, KnownAe> newRemoteAes, Map<String, String> newCalledAePartitions) {
      return new Dimse(bindAddress, port, maxPduLength, maxAssociations, idleTimeoutSeconds, newRemoteAes,
          newCalledAePartitions, tlsPort, tlsClientAuth);
    }
  }

  /**
   * A remote AE allowed to associate: from which hosts (address or CIDR) and for which services.
   * {@code certified}: only over DICOM TLS with a client certificate whose subject CN is its title (PS3.15 B.1),
   * so no one without that certificate can call as it, on either port.
   */
  public record KnownAe(String aeTitle, List<String> hosts, Set<String> services, boolean certified) {}

  /**
   * HTTP bearer-token authentication. {@code roles}: role name (a value of the {@code rolesClaim}
   * claim) to action names. {@code jwksCacheSeconds}: how long the issuer's keys are trusted
   * before they are fetched again (a withdrawn key stops working within this time).
   */
  public record Security(boolean enabled, String issuer, String audience, String jwksUrl, String rolesClaim,
      int clockSkewSeconds, List<String> algorithms, Map<String, List<String>> roles, int jwksCacheSeconds) {

    /** The same with a shorter JWKS cache life (tests of key withdrawal). */
    public Security withJwksCacheSeconds(int seconds) {
      return new Security(enabled, issuer, audience, jwksUrl, rolesClaim, clockSkewSeconds, algorithms, roles, seconds);
    }
  }

  /** url empty: embedded H2 under dataDir. */
  public record Db(String url, String user, String password, int poolSize) {
    public boolean embedded() {
      return url == null || url.isBlank();
    }
  }

  /**
   * Duplicate policies, and the free space below which stores are refused ({@code minFreeSpaceBytes}, 0: never):
   * what is left keeps the index, the journal, the audit trail and deletes working on a disk that fills up.
   */
  public record Store(DuplicatePolicy duplicatePolicyStow, DuplicatePolicy duplicatePolicyDimse,
      long minFreeSpaceBytes) {}

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
    Security security = SecurityConfigReader.security(r, root.path("security"));
    // Open (no authentication) means a laptop: listen on loopback unless an address is configured.
    String defaultBind = security.enabled() ? "0.0.0.0" : "127.0.0.1";
    AtriumConfig config = new AtriumConfig(
        Path.of(r.text("dataDir")),
        r.aeTitle("aeTitle"),
        new Http(r.textOr("http.bindAddress", defaultBind), r.port("http.port"), r.text("http.publicBaseUrl"),
            r.positiveInt("http.maxThreads"), r.port("http.tlsPort"), r.positiveInt("http.maxHeaderBytes"),
            r.positiveLong("http.maxRequestBytes"), r.positiveInt("http.idleTimeoutSeconds"),
            Cors.of(ConfigReader.list(root.path("http").path("cors").path("allowedOrigins")),
                r.intOr("http.cors.maxAgeSeconds", 600, 0))),
        new Dimse(r.textOr("dimse.bindAddress", defaultBind), r.port("dimse.port"),
            r.positiveInt("dimse.maxPduLength"), r.positiveInt("dimse.maxAssociations"),
            r.positiveInt("dimse.idleTimeoutSeconds"), SecurityConfigReader.remoteAes(r, root.path("dimse")),
            SecurityConfigReader.calledAePartitions(r, root.path("dimse")), r.port("dimse.tlsPort"),
            SecurityConfigReader.clientAuth(r.textOr("dimse.tlsClientAuth", "want"))),
        new Db(r.text("db.url"), r.text("db.user"), r.text("db.password"), r.positiveInt("db.poolSize")),
        new Store(r.duplicatePolicy("store.duplicatePolicyStow"), r.duplicatePolicy("store.duplicatePolicyDimse"),
            r.nonNegativeLong("store.minFreeSpaceBytes")),
        Collections.unmodifiableMap(destinations), security,
        new Tls(r.textOr("tls.keyStore", ""), r.textOr("tls.keyStorePassword", ""), r.textOr("tls.certificateChain", ""),
            r.textOr("tls.privateKey", ""), r.textOr("tls.trustedCertificates", "")),
        new Audit(r.bool("audit.enabled", true), r.textOr("audit.directory", ""),
            r.textOr("audit.sourceId", r.aeTitle("aeTitle")), r.textOr("audit.syslog.host", ""),
            r.port("audit.syslog.port"), r.textOr("audit.syslog.protocol", "tls"),
            r.textOr("audit.syslog.trustedCertificates", ""), r.nonNegativeLong("audit.maxFileBytes"),
            r.intOr("audit.keepClosedFiles", 0, 0)),
        FhirSettings.read(r, root));
    config.requireCertificatesForCertifiedAes();
    return config;
  }

  /** An AE that must prove itself with a certificate could never associate without DICOM TLS asking for one. */
  private void requireCertificatesForCertifiedAes() {
    for (KnownAe ae : dimse.remoteAes().values()) {
      if (ae.certified() && (!tls.configured() || dimse.tlsClientAuth() == ClientAuth.NONE)) {
        throw new ConfigException("dimse.remoteAes." + ae.aeTitle() + ".certified needs DICOM TLS (tls.certificateChain"
            + " or tls.keyStore) with dimse.tlsClientAuth want or need");
      }
    }
  }

  /** Copy with other ports and data directory: what tests and benchmarks start. */
  public AtriumConfig withEndpoints(Path newDataDir, int httpPort, int dimsePort) {
    return withEndpoints(newDataDir, httpPort, dimsePort, http.tlsPort, dimse.tlsPort);
  }

  /** Also the TLS ports (0: ephemeral, as in tests). */
  public AtriumConfig withEndpoints(Path newDataDir, int httpPort, int dimsePort, int httpsPort, int dimseTlsPort) {
    return new AtriumConfig(newDataDir, aeTitle,
        new Http(http.bindAddress, httpPort, http.publicBaseUrl, http.maxThreads, httpsPort, http.maxHeaderBytes,
            http.maxRequestBytes, http.idleTimeoutSeconds, http.cors),
        new Dimse(dimse.bindAddress, dimsePort, dimse.maxPduLength, dimse.maxAssociations, dimse.idleTimeoutSeconds,
            dimse.remoteAes, dimse.calledAePartitions, dimseTlsPort, dimse.tlsClientAuth),
        db, store, moveDestinations, security, tls, audit, fhir);
  }

  public AtriumConfig withDb(Db newDb) {
    return new AtriumConfig(dataDir, aeTitle, http, dimse, newDb, store, moveDestinations, security, tls, audit, fhir);
  }

  public AtriumConfig withStore(Store newStore) {
    return new AtriumConfig(dataDir, aeTitle, http, dimse, db, newStore, moveDestinations, security, tls, audit, fhir);
  }

  public AtriumConfig withSecurity(Security newSecurity) {
    return new AtriumConfig(dataDir, aeTitle, http, dimse, db, store, moveDestinations, newSecurity, tls, audit, fhir);
  }

  public AtriumConfig withTls(Tls newTls) {
    return new AtriumConfig(dataDir, aeTitle, http, dimse, db, store, moveDestinations, security, newTls, audit, fhir);
  }

  public AtriumConfig withAudit(Audit newAudit) {
    return new AtriumConfig(dataDir, aeTitle, http, dimse, db, store, moveDestinations, security, tls, newAudit, fhir);
  }

  public AtriumConfig withHttp(Http newHttp) {
    return new AtriumConfig(dataDir, aeTitle, newHttp, dimse, db, store, moveDestinations, security, tls, audit, fhir);
  }

  public AtriumConfig withDimse(Dimse newDimse) {
    return new AtriumConfig(dataDir, aeTitle, http, newDimse, db, store, moveDestinations, security, tls, audit, fhir);
  }

  public AtriumConfig withFhir(FhirSettings newFhir) {
    return new AtriumConfig(dataDir, aeTitle, http, dimse, db, store, moveDestinations, security, tls, audit, newFhir);
  }

  public AtriumConfig withMoveDestinations(Map<String, RemoteAe> newDestinations) {
    return new AtriumConfig(dataDir, aeTitle, http, dimse, db, store, Map.copyOf(newDestinations), security, tls,
        audit, fhir);
  }
}
