package dev.atrium.dimse;

import dev.atrium.config.AtriumConfig.DuplicatePolicy;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DimseExchange;
import dev.atrium.dimse.net.DimseRequestHandler;
import dev.atrium.store.StoreOutcome;
import dev.atrium.store.StoreService;
import java.io.InputStream;

/**
 * C-STORE SCP (PS3.4 B.2): hands the streamed data set to the store funnel and answers with
 * the status it names. The response goes out only after the instance is durable and indexed.
 */
final class StoreScp implements DimseRequestHandler {
  private static final int MAX_ERROR_COMMENT = 64; // LO (PS3.7 C.4)

  private final StoreService store;
  private final DuplicatePolicy duplicatePolicy;

  private final CalledAePartitions partitions;

  private final DimseAudit audit;

  StoreScp(StoreService store, DuplicatePolicy duplicatePolicy, CalledAePartitions partitions, DimseAudit audit) {
    this.store = store;
    this.audit = audit;
    this.partitions = partitions;
    this.duplicatePolicy = duplicatePolicy;
  }

  @Override
  public void handle(DimseExchange exchange, CommandSet request, InputStream dataSet) throws Exception {
    StoreOutcome outcome = store.storeDataSet(partitions.of(exchange), dataSet, exchange.transferSyntaxUid(),
        request.getString(CommandSet.AFFECTED_SOP_CLASS_UID), request.getString(CommandSet.AFFECTED_SOP_INSTANCE_UID),
        exchange.association().callingAeTitle(), duplicatePolicy);
    int status = outcome.succeeded() ? CommandSet.STATUS_SUCCESS : outcome.failure().dimseStatus();
    CommandSet response = CommandSet.responseTo(request, CommandSet.C_STORE_RSP, status);
    if (!outcome.succeeded()) {
      String comment = outcome.message();
      response.setLO(CommandSet.ERROR_COMMENT, comment.length() > MAX_ERROR_COMMENT
          ? comment.substring(0, MAX_ERROR_COMMENT) : comment);
    }
    exchange.sendResponse(response, null);
    // After the response: the audit trail is queued for its own writer either way, off the modality's wait.
    audit.stored(exchange, partitions.of(exchange), outcome.studyInstanceUid(), outcome.succeeded(), outcome.message());
  }
}
