package dev.atrium.dimse;

import dev.atrium.config.AtriumConfig.DuplicatePolicy;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DimseExchange;
import dev.atrium.dimse.net.DimseRequestHandler;
import dev.atrium.store.StoreOutcome;
import dev.atrium.store.StoreService;
import dev.atrium.store.StoreWarning;
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
    StoreWarning warning = outcome.warning();
    int status = !outcome.succeeded() ? outcome.failure().dimseStatus()
        : warning != null ? warning.dimseStatus() : CommandSet.STATUS_SUCCESS;
    CommandSet response = CommandSet.responseTo(request, CommandSet.C_STORE_RSP, status);
    // A failure says what was wrong; a warning (PS3.4 B.2.3: stored) names the first value the index could not read.
    String comment = !outcome.succeeded() ? outcome.message()
        : warning != null ? outcome.invalidValues().get(0) : null;
    if (comment != null) {
      response.setLO(CommandSet.ERROR_COMMENT, comment.length() > MAX_ERROR_COMMENT
          ? comment.substring(0, MAX_ERROR_COMMENT) : comment);
    }
    exchange.sendResponse(response, null);
    // After the response: the audit trail is queued for its own writer either way, off the modality's wait.
    audit.stored(exchange, partitions.of(exchange), outcome.studyInstanceUid(), outcome.succeeded(), outcome.message());
  }
}
