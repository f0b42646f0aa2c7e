package dev.atrium.dimse;

import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DimseExchange;
import dev.atrium.dimse.net.DimseRequestor;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.PinnedInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The C-STORE sub-operations of one C-MOVE or C-GET (PS3.4 C.4.2.3.1, C.4.3.3.1): each instance in turn, from the
 * store through the retrieve path to the destination, one outstanding at a time; pending responses with the
 * counts after the first and then at most every {@link #PENDING_INTERVAL_NANOS} (PS3.4 C.4.2.3.1 makes them
 * optional; one per instance cost the requester a wake-up per instance). While the destination stores one
 * instance, a pending response for those before goes out and the next instance is opened, so neither waits on
 * the other. An instance that cannot be opened (deleted
 * meanwhile) or that no accepted context can carry, as stored or transcoded, counts as failed and the run goes on.
 */
final class SubOperations {
  private static final Logger log = LoggerFactory.getLogger(SubOperations.class);
  private static final int COPY_BUFFER = 64 * 1024;
  /** A requester showing progress gets ten updates a second at most. */
  private static final long PENDING_INTERVAL_NANOS = 100_000_000L;

  private final RetrieveService retrieve;

  SubOperations(RetrieveService retrieve) {
    this.retrieve = retrieve;
  }

  /** Who asked for a C-MOVE: carried in each sub-operation (PS3.7 9.1.1.1, Move Originator). */
  record MoveOriginator(String aeTitle, int messageId) {}

  /** How the run ended; {@code destinationFailure} is set when the destination's association broke. */
  record Outcome(RetrieveCounts counts, boolean cancelled, IOException destinationFailure) {}

  /** One instance opened and ready to send, or why it cannot be. */
  /** The next instance, pinned (its file held open) before anything of it is sent. */
  private record Prepared(StoredInstance instance, PinnedInstance pinned, SubOperationSyntax.Sending sending,
      String failure) implements AutoCloseable {
    @Override
    public void close() {
      try {
        if (sending != null) sending.close(); // a transcoded spool's space
        if (pinned != null) pinned.close();
      } catch (IOException ignored) {
        // read-only files
      }
    }
  }

  /**
   * Runs the sub-operations and returns how they ended; the caller sends the final response. IOExceptions are
   * those of the exchange (the association of the C-MOVE or C-GET); for C-GET that is also the destination.
   */
  Outcome run(List<StoredInstance> instances, DimseRequestor destination, MoveOriginator originatorOrNull,
      DimseExchange exchange, CommandSet request) throws IOException {
    RetrieveCounts counts = new RetrieveCounts(instances.size());
    byte[] buffer = new byte[COPY_BUFFER];
    Iterator<StoredInstance> todo = instances.iterator();
    Prepared next = prepare(todo, destination, buffer);
    Progress reported = new Progress();
    try {
      while (next != null) {
        if (exchange.isCancelled()) return new Outcome(counts, true, null);
        Prepared current = next;
        next = null;
        if (current.failure() != null) {
          log.warn("{} sub-operation for {} failed: {}", operation(request), current.instance().sopInstanceUid(),
              current.failure());
          counts.failed(current.instance().sopInstanceUid());
          report(exchange, request, counts, reported);
          next = prepare(todo, destination, buffer);
          continue;
        }
        int messageId;
        try (current) {
          messageId = destination.sendRequest(current.sending().context().id(), storeRequest(current, request,
              originatorOrNull), current.sending().writer());
        } catch (IOException e) {
          if (destination == exchange) throw e;
          return broken(counts, current.instance(), null, todo, e);
        }
        report(exchange, request, counts, reported); // the destination works meanwhile
        next = prepare(todo, destination, buffer);
        CommandSet response;
        try {
          response = destination.awaitResponse(messageId);
        } catch (IOException e) {
          if (destination == exchange) throw e;
          return broken(counts, current.instance(), next, todo, e);
        }
        counts.record(current.instance().sopInstanceUid(), response.status());
        if (RetrieveCounts.isFailure(response.status())) {
          log.warn("{} sub-operation for {}: status {} {}", operation(request), current.instance().sopInstanceUid(),
              Integer.toHexString(response.status()), Optional.ofNullable(response.getString(CommandSet.ERROR_COMMENT))
                  .orElse(""));
        }
      }
      return new Outcome(counts, false, null);
    } finally {
      if (next != null) next.close();
    }
  }

  private Prepared prepare(Iterator<StoredInstance> todo, DimseRequestor destination, byte[] buffer) {
    if (!todo.hasNext()) return null;
    StoredInstance instance = todo.next();
    PinnedInstance pinned;
    try {
      pinned = retrieve.pin(instance);
    } catch (NoSuchFileException e) {
      return new Prepared(instance, null, null, "deleted while the retrieve ran");
    } catch (IOException e) {
      return new Prepared(instance, null, null, e.getMessage());
    }
    try {
      SubOperationSyntax.Sending sending = SubOperationSyntax.choose(pinned, retrieve.readMeta(pinned),
          destination.requestContexts(instance.sopClassUid()), retrieve, buffer);
      return new Prepared(instance, pinned, sending, null);
    } catch (SubOperationSyntax.Unsendable | IOException e) {
      Prepared refused = new Prepared(instance, pinned, null, e.getMessage());
      refused.close();
      return refused;
    }
  }

  private static CommandSet storeRequest(Prepared prepared, CommandSet request, MoveOriginator originatorOrNull) {
    CommandSet rq = new CommandSet()
        .setUI(CommandSet.AFFECTED_SOP_CLASS_UID, prepared.instance().sopClassUid())
        .setUS(CommandSet.COMMAND_FIELD, CommandSet.C_STORE_RQ)
        .setUS(CommandSet.PRIORITY, request.getInt(CommandSet.PRIORITY, CommandSet.PRIORITY_MEDIUM))
        .setUI(CommandSet.AFFECTED_SOP_INSTANCE_UID, prepared.instance().sopInstanceUid());
    if (originatorOrNull != null) {
      rq.setAE(CommandSet.MOVE_ORIGINATOR_AE_TITLE, originatorOrNull.aeTitle())
          .setUS(CommandSet.MOVE_ORIGINATOR_MESSAGE_ID, originatorOrNull.messageId());
    }
    return rq;
  }

  /** What the last pending response reported, and when. */
  private static final class Progress {
    int done;
    long sentAt;
  }

  /**
   * A pending response when sub-operations ended since the last one, more remain, and it is the first or the
   * interval has passed since the last.
   */
  private static void report(DimseExchange exchange, CommandSet request, RetrieveCounts counts, Progress last)
      throws IOException {
    if (counts.done() == last.done || counts.remaining() == 0) return;
    long now = System.nanoTime();
    if (last.done > 0 && now - last.sentAt < PENDING_INTERVAL_NANOS) return;
    exchange.sendResponse(counts.response(request, CommandSet.STATUS_PENDING), null);
    last.done = counts.done();
    last.sentAt = now;
  }

  /**
   * The destination's association broke: this and every later sub-operation failed, listed in the order they
   * would have run ({@code prepared}: the next one, already prepared, or null).
   */
  private static Outcome broken(RetrieveCounts counts, StoredInstance current, Prepared prepared,
      Iterator<StoredInstance> todo, IOException e) {
    counts.failed(current.sopInstanceUid());
    if (prepared != null) counts.failed(prepared.instance().sopInstanceUid());
    todo.forEachRemaining(i -> counts.failed(i.sopInstanceUid()));
    return new Outcome(counts, false, e);
  }

  private static String operation(CommandSet request) {
    return request.commandField() == CommandSet.C_GET_RQ ? "C-GET" : "C-MOVE";
  }
}
