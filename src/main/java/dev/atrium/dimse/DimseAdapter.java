package dev.atrium.dimse;

import dev.atrium.config.AtriumConfig;
import dev.atrium.dicom.SopClasses;
import dev.atrium.dimse.net.AssociationInfo;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DimseRequestHandler;
import dev.atrium.dimse.net.DimseServer;
import dev.atrium.dimse.net.DimseServerSettings;
import dev.atrium.dimse.net.DimseServiceRegistry;
import dev.atrium.dimse.net.EchoHandler;
import dev.atrium.query.QueryEngine;
import dev.atrium.retrieve.RetrieveService;
import dev.atrium.store.StoreService;
import java.io.IOException;
import java.util.List;

/**
 * The DIMSE side of Atrium: which services and transfer syntaxes we accept, and which handler
 * serves each request. Handlers only translate DIMSE into calls of the capability packages.
 */
public final class DimseAdapter implements DimseServiceRegistry, AutoCloseable {
  private final DimseServer server;
  private final StoreScp storeScp;
  private final FindScp findScp;
  private final MoveScp moveScp;
  private final GetScp getScp;

  public DimseAdapter(AtriumConfig config, StoreService store, QueryEngine queries, RetrieveService retrieve) {
    AtriumConfig.Dimse dimse = config.dimse();
    this.storeScp = new StoreScp(store, config.store().duplicatePolicyDimse());
    this.findScp = new FindScp(queries);
    this.moveScp = new MoveScp(retrieve, config);
    this.getScp = new GetScp(retrieve);
    this.server = new DimseServer(new DimseServerSettings(dimse.bindAddress(), dimse.port(), config.aeTitle(),
        dimse.maxPduLength(), dimse.maxAssociations(), dimse.idleTimeoutSeconds() * 1000), this);
  }

  public void start() throws IOException {
    server.start();
  }

  public int port() {
    return server.port();
  }

  @Override
  public boolean acceptAssociation(AssociationInfo association) {
    return true; // any calling AE until access control is configured
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
        || MoveScp.isMove(abstractSyntaxUid) || GetScp.isGet(abstractSyntaxUid)) {
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
      case CommandSet.C_ECHO_RQ -> EchoHandler.INSTANCE;
      case CommandSet.C_STORE_RQ -> storeScp;
      case CommandSet.C_FIND_RQ -> FindScp.isFind(sopClassUid) ? findScp : null;
      case CommandSet.C_MOVE_RQ -> MoveScp.isMove(sopClassUid) ? moveScp : null;
      case CommandSet.C_GET_RQ -> GetScp.isGet(sopClassUid) ? getScp : null;
      default -> null;
    };
  }

  @Override
  public void close() {
    server.close();
  }
}
