package dev.atrium.dimse;

import dev.atrium.audit.AuditTrail;
import dev.atrium.commitment.StorageCommitmentService;
import dev.atrium.config.AtriumConfig;
import dev.atrium.dicom.SopClasses;
import dev.atrium.dimse.net.AssociationInfo;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DimseRequestHandler;
import dev.atrium.dimse.net.DimseServer;
import dev.atrium.dimse.net.DimseServerSettings;
import dev.atrium.dimse.net.DimseServiceRegistry;
import dev.atrium.dimse.net.EchoHandler;
import dev.atrium.metrics.Metrics;
import dev.atrium.query.QueryEngine;
import dev.atrium.retrieve.RetrieveService;
import dev.atrium.security.AeAccessControl;
import dev.atrium.security.TlsContexts;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import dev.atrium.store.StoreService;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DIMSE side of Atrium: which services and transfer syntaxes we accept, and which handler
 * serves each request. Handlers only translate DIMSE into calls of the capability packages.
 */
public final class DimseAdapter implements DimseServiceRegistry, AutoCloseable {
  private static final int STATUS_NOT_AUTHORIZED = 0x0124;
  private final DimseServer server;
  private final DimseServer tlsServer;
  private final StoreScp storeScp;
  private final FindScp findScp;
  private final MoveScp moveScp;
  private final GetScp getScp;
  private final StorageCommitmentScp commitmentScp;
  private final CalledAePartitions partitions;
  private static final Logger log = LoggerFactory.getLogger(DimseAdapter.class);
  private final AeAccessControl access;
  private final String bindAddress;
  /** Whether the SCP listens on more than loopback (security on, or a bind address set). */
  private final boolean openToTheNetwork;
  private final DimseAudit audit;
  private final DimseCounts counts;

  public DimseAdapter(AtriumConfig config, StoreService store, QueryEngine queries, RetrieveService retrieve,
      StorageCommitmentService commitments, AuditTrail auditTrail, Metrics metrics) {
    this.audit = new DimseAudit(auditTrail);
    this.counts = new DimseCounts(metrics);
    AtriumConfig.Dimse dimse = config.dimse();
    this.partitions = new CalledAePartitions(dimse.calledAePartitions());
    this.access = new AeAccessControl(dimse.remoteAes());
    this.bindAddress = dimse.bindAddress();
    this.openToTheNetwork = bindAddress == null || !isLoopback(bindAddress);
    this.storeScp = new StoreScp(store, config.store().duplicatePolicyDimse(), partitions, audit);
    this.findScp = new FindScp(queries, partitions, audit);
    this.moveScp = new MoveScp(retrieve, partitions, audit, counts, config);
    this.getScp = new GetScp(retrieve, partitions, audit, counts);
    this.commitmentScp = new StorageCommitmentScp(commitments, partitions, config);
    this.server = new DimseServer(settings(config, dimse.port()), this);
    SSLContext tls = TlsContexts.create(config.tls());
    if (tls == null) {
      this.tlsServer = null;
    } else {
      SSLParameters parameters = TlsContexts.parameters(tls);
      parameters.setNeedClientAuth(dimse.tlsClientAuth() == AtriumConfig.ClientAuth.NEED);
      if (dimse.tlsClientAuth() == AtriumConfig.ClientAuth.WANT) parameters.setWantClientAuth(true);
      this.tlsServer = new DimseServer(settings(config, dimse.tlsPort()), this, tls, parameters);
    }
  }

  private static boolean isLoopback(String address) {
    try {
      return java.net.InetAddress.getByName(address).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static DimseServerSettings settings(AtriumConfig config, int port) {
    AtriumConfig.Dimse dimse = config.dimse();
    return new DimseServerSettings(dimse.bindAddress(), port, config.aeTitle(), dimse.maxPduLength(),
        dimse.maxAssociations(), dimse.idleTimeoutSeconds() * 1000);
  }

  public void start() throws IOException {
    server.start();
    if (tlsServer != null) tlsServer.start();
    if (openToTheNetwork && access.open()) {
      // Bearer tokens guard HTTP only: a DIMSE peer is known by its AE title and address (dimse.remoteAes).
      log.warn("DICOM SCP listens beyond loopback ({}) and dimse.remoteAes is empty: any host may associate "
          + "under any calling AE title and query, retrieve and store in every partition; list the AEs allowed",
          bindAddress);
    }
  }

  public int port() {
    return server.port();
  }

  /** The DICOM TLS port, or -1 when TLS is not configured. */
  public int tlsPort() {
    return tlsServer == null ? -1 : tlsServer.port();
  }

  @Override
  public boolean answersCalledAeTitle(String calledAeTitle) {
    return partitions.serves(calledAeTitle);
  }

  @Override
  public void associationOpened(AssociationInfo association) {
    counts.accepted();
  }

  @Override
  public void associationClosed(AssociationInfo association) {
    counts.closed();
    audit.associationClosed(association); // its stores' audit events
  }

  @Override
  public void associationRefused(AssociationInfo association, String reason) {
    reject(association, reason);
  }

  /** Recorded in the audit trail and counted: every peer refused. */
  private boolean reject(AssociationInfo association, String reason) {
    audit.associationRejected(association, reason);
    counts.rejected();
    return false;
  }

  /** PS3.8 7.1.1.9: an AE we do not know, or a known one from the wrong host, is not recognized. */
  @Override
  public boolean acceptAssociation(AssociationInfo association) {
    // A DICOM TLS peer that proved an identity with its certificate may only call itself by that name.
    String certified = association.peerCertificateName();
    if (certified != null && !certified.equals(association.callingAeTitle())) {
      return reject(association, "client certificate names " + certified + ", not the calling AE");
    }
    if (certified == null && access.needsCertificate(association.callingAeTitle())) {
      return reject(association, "calling AE must present a DICOM TLS client certificate naming it");
    }
    return access.admits(association.callingAeTitle(), association.remote().getAddress())
        || reject(association, "calling AE title not recognized from this address");
  }

  /**
   * Storage: the SCU's first proposed standard transfer syntax, so the data set arrives as the
   * modality holds it and is stored unchanged (no recompression); for C-GET, the syntax the SCU prefers to
   * receive in. Verification and Query/Retrieve FIND, MOVE and GET (Patient Root, Study Root): implicit or
   * explicit VR little endian.
   */
  @Override
  public String negotiate(String abstractSyntaxUid, List<String> proposed) {
    if (abstractSyntaxUid.equals(SopClasses.VERIFICATION) || FindScp.isFind(abstractSyntaxUid)
        || MoveScp.isMove(abstractSyntaxUid) || GetScp.isGet(abstractSyntaxUid)
        || StorageCommitmentScp.isStorageCommitment(abstractSyntaxUid)) {
      return proposed.stream().filter(ts -> ts.equals(SopClasses.EXPLICIT_VR_LITTLE_ENDIAN)
          || ts.equals(SopClasses.IMPLICIT_VR_LITTLE_ENDIAN)).findFirst().orElse(null);
    }
    if (SopClasses.isStorage(abstractSyntaxUid)) {
      return proposed.stream().filter(SopClasses::isStandardTransferSyntax).findFirst().orElse(null);
    }
    return null;
  }

  /** C-GET (PS3.4 C.4.3.1): the SCU receives the storage classes it offers in the SCP role. */
  @Override
  public boolean acceptRequestorScpRole(String sopClassUid) {
    return SopClasses.isStorage(sopClassUid);
  }

  @Override
  public DimseRequestHandler handlerFor(int commandField, String sopClassUid) {
    return switch (commandField) {
      case CommandSet.C_ECHO_RQ -> guarded("echo", EchoHandler.INSTANCE);
      case CommandSet.C_STORE_RQ -> guarded("store", storeScp);
      case CommandSet.C_FIND_RQ -> FindScp.isFind(sopClassUid) ? guarded("find", findScp) : null;
      case CommandSet.C_MOVE_RQ -> MoveScp.isMove(sopClassUid) ? guarded("move", moveScp) : null;
      case CommandSet.C_GET_RQ -> GetScp.isGet(sopClassUid) ? guarded("get", getScp) : null;
      // The companion of storing: an AE may ask for commitment to what it may store.
      case StorageCommitmentScp.N_ACTION_RQ -> StorageCommitmentScp.isStorageCommitment(sopClassUid)
          ? guarded("store", "commit", commitmentScp) : null;
      default -> null;
    };
  }

  /**
   * The handler, behind the calling AE's service permission: a known AE asking for a service it
   * was not given gets PS3.7 C.5 status 0124 (Refused: not authorized).
   */
  private DimseRequestHandler guarded(String service, DimseRequestHandler handler) {
    return guarded(service, service, handler);
  }

  /** As {@link #guarded(String, DimseRequestHandler)}, counted as {@code counted}. */
  private DimseRequestHandler guarded(String service, String counted, DimseRequestHandler handler) {
    counts.request(counted);
    if (access.open()) return handler;
    return (exchange, request, dataSet) -> {
      String caller = exchange.association().callingAeTitle();
      if (access.allows(caller, service)) {
        handler.handle(exchange, request, dataSet);
        return;
      }
      audit.serviceRefused(exchange, service);
      CommandSet refusal = CommandSet.responseTo(request, request.commandField() | 0x8000, STATUS_NOT_AUTHORIZED);
      String comment = caller + " may not use " + service;
      refusal.setLO(CommandSet.ERROR_COMMENT, comment.length() > 64 ? comment.substring(0, 64) : comment);
      exchange.sendResponse(refusal, null);
    };
  }

  /** Begins a stop: see {@link DimseServer#stopAccepting()}. */
  public void stopAccepting() {
    server.stopAccepting();
    if (tlsServer != null) tlsServer.stopAccepting();
  }

  @Override
  public void close() {
    stopAccepting();
    server.close();
    if (tlsServer != null) tlsServer.close();
    commitmentScp.close();
  }
}
