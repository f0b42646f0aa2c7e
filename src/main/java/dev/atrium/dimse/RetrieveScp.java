package dev.atrium.dimse;

import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DimseExchange;
import dev.atrium.dimse.net.DimseRequestHandler;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What C-MOVE and C-GET SCPs share (PS3.4 C.4.2, C.4.3): the identifier read and checked against the model, the
 * instances located through the retrieve path, and the final response with the sub-operation counts. Subclasses
 * say where the sub-operations go.
 */
abstract class RetrieveScp implements DimseRequestHandler {
  private static final Logger log = LoggerFactory.getLogger(RetrieveScp.class);

  final SubOperations subOperations;
  private final RetrieveService retrieve;
  private final CalledAePartitions partitions;
  private final DimseAudit audit;
  /** The archive's running totals, for monitoring (each request's own are its {@link RetrieveCounts}). */
  private final DimseCounts totals;

  RetrieveScp(RetrieveService retrieve, CalledAePartitions partitions, DimseAudit audit, DimseCounts counts) {
    this.totals = counts;
    this.retrieve = retrieve;
    this.partitions = partitions;
    this.audit = audit;
    this.subOperations = new SubOperations(retrieve);
  }

  @Override
  public final void handle(DimseExchange exchange, CommandSet request, InputStream dataSet) throws Exception {
    List<StoredInstance> instances;
    try {
      refuseEarly(request);
    } catch (Refusal r) {
      InformationModel.finish(exchange, request, r.status, r.getMessage(), r.offendingTag);
      return;
    }
    RetrieveKeys.Translation keys = InformationModel.readIdentifier(exchange, request, dataSet,
        RetrieveKeys::translate);
    if (keys == null) return;
    try {
      instances = retrieve.select(partitions.of(exchange), keys.selection());
    } catch (IllegalArgumentException e) { // a key the retrieve path refused (a Patient ID too long)
      InformationModel.finish(exchange, request, CommandSet.STATUS_DATA_SET_DOES_NOT_MATCH_SOP_CLASS,
          e.getMessage(), 0);
      return;
    }
    long start = System.nanoTime();
    Finish finish;
    if (instances.isEmpty()) {
      finish = new Finish(new RetrieveCounts(0), false, null);
    } else if (exchange.isCancelled()) {
      finish = new Finish(new RetrieveCounts(instances.size()), true, null);
    } else {
      finish = retrieve(exchange, request, instances);
    }
    RetrieveCounts counts = finish.counts();
    CommandSet response = counts.response(request, counts.finalStatus(finish.cancelled()));
    if (finish.comment() != null) response.setLO(CommandSet.ERROR_COMMENT, finish.comment());
    exchange.sendResponse(response, counts.failedList(exchange.transferSyntaxUid()));
    String summary = String.format("%s %s: %d instance(s), status %04X (%d completed, %d failed, %d warning)",
        request.commandField() == CommandSet.C_GET_RQ ? "C-GET" : "C-MOVE", destination(exchange, request),
        instances.size(), response.status(), response.getInt(CommandSet.NUMBER_OF_COMPLETED_SUBOPERATIONS, 0),
        response.getInt(CommandSet.NUMBER_OF_FAILED_SUBOPERATIONS, 0),
        response.getInt(CommandSet.NUMBER_OF_WARNING_SUBOPERATIONS, 0));
    totals.subOperations(request.commandField() == CommandSet.C_GET_RQ ? "get" : "move",
        response.getInt(CommandSet.NUMBER_OF_COMPLETED_SUBOPERATIONS, 0),
        response.getInt(CommandSet.NUMBER_OF_FAILED_SUBOPERATIONS, 0),
        response.getInt(CommandSet.NUMBER_OF_WARNING_SUBOPERATIONS, 0));
    audit.retrieved(exchange, partitions.of(exchange),
        instances.stream().map(StoredInstance::studyInstanceUid).distinct().toList(),
        response.status() == CommandSet.STATUS_SUCCESS, summary);
    log.info("{} from {} in {} ms", summary, exchange.association(), (System.nanoTime() - start) / 1_000_000);
  }

  /** Where the sub-operations went, for the log and the audit trail. */
  abstract String destination(DimseExchange exchange, CommandSet request);

  /** How the sub-operations ended, and an Error Comment for the final response when there is one to give. */
  record Finish(RetrieveCounts counts, boolean cancelled, String comment) {}

  /** A refusal before the identifier is read (an unknown move destination); the default has none. */
  void refuseEarly(CommandSet request) throws Refusal {}

  /** Runs the sub-operations for {@code instances} (not empty); IOExceptions end the association. */
  abstract Finish retrieve(DimseExchange exchange, CommandSet request, List<StoredInstance> instances)
      throws IOException;
}
