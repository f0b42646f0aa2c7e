package dev.atrium.dimse;

import dev.atrium.dicom.FileMetaReader;
import dev.atrium.dicom.TransferSyntax;
import dev.atrium.dicom.UnsupportedTranscodingException;
import dev.atrium.dimse.net.AcceptedContext;
import dev.atrium.dimse.net.DataSetWriter;
import dev.atrium.dimse.net.FileDataSet;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.PinnedInstance;
import dev.atrium.retrieve.RetrieveService;
import dev.atrium.retrieve.TranscodedSpool;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a stored instance goes out in a C-STORE sub-operation: on which accepted presentation context, and the bytes
 * it sends there (PS3.4 C.4.2.3.1 and C.4.3.3.1 leave the transfer syntax to the SCP, among those the peer
 * accepted). As stored when a context in the stored transfer syntax was accepted; else transcoded through the
 * retrieve path into an accepted syntax the archive can produce, Explicit VR Little Endian first, then Implicit
 * VR Little Endian (every SCP supports it, PS3.5 10.1), then the others in the peer's order; else not at all.
 * A transcoded instance is spooled whole before its sub-operation starts ({@link TranscodedSpool}): one whose
 * frame fails to decode is then a failed sub-operation, not a data set broken off that takes the association down.
 */
final class SubOperationSyntax {
  private static final List<String> PREFERRED =
      List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);

  private SubOperationSyntax() {}

  /** Where and what to send; {@code spool}, when not null, holds the transcoded bytes until it is closed. */
  record Sending(AcceptedContext context, DataSetWriter writer, TranscodedSpool spool) implements Closeable {
    @Override
    public void close() throws IOException {
      if (spool != null) spool.close();
    }
  }

  /** No accepted context can carry the instance; the message says why (the sub-operation fails with it). */
  static final class Unsendable extends Exception {
    Unsendable(String message) {
      super(message);
    }
  }

  /**
   * @param pinned the instance, its file held open (a delete from now on cannot break the send)
   * @param stored the instance's meta information: its data set, from {@code offset} on, is sent as it is when its
   *     syntax was accepted
   * @param buffer the copy buffer of the sub-operations run (bounded, reused for every instance)
   */
  static Sending choose(PinnedInstance pinned, FileMetaReader.DataSet stored, List<AcceptedContext> accepted,
      RetrieveService retrieve, byte[] buffer) throws IOException, Unsendable {
    StoredInstance instance = pinned.instance();
    String storedSyntax = stored.transferSyntaxUid();
    if (accepted.isEmpty()) {
      throw new Unsendable("the destination accepted no presentation context for SOP class " + instance.sopClassUid());
    }
    for (AcceptedContext context : accepted) {
      if (context.transferSyntax().equals(storedSyntax)) {
        FileChannel file = pinned.channel();
        return new Sending(context, new FileDataSet(file, stored.offset(), file.size() - stored.offset(), buffer),
            null);
      }
    }
    List<String> reasons = new ArrayList<>();
    for (AcceptedContext context : byPreference(accepted)) {
      String target = context.transferSyntax();
      if (!RetrieveService.canTranscode(storedSyntax, target)) {
        note(reasons, RetrieveService.whyNotTranscodable(storedSyntax, target));
        continue;
      }
      TranscodedSpool spool;
      try {
        retrieve.checkTranscodable(pinned, target); // what the codecs cannot take, told without decoding
        spool = retrieve.spool(pinned, target);
      } catch (UnsupportedTranscodingException e) {
        note(reasons, e.getMessage());
        continue;
      }
      return new Sending(context, out -> spool.copyTo(out, buffer), spool);
    }
    throw new Unsendable("no presentation context for " + instance.sopClassUid() + " in its stored "
        + TransferSyntax.of(storedSyntax).describe() + " accepted"
        + (reasons.isEmpty() ? "" : ", and it cannot be sent in an accepted one: " + String.join("; ", reasons)));
  }

  private static void note(List<String> reasons, String reason) {
    if (!reasons.contains(reason)) reasons.add(reason);
  }

  private static List<AcceptedContext> byPreference(List<AcceptedContext> accepted) {
    return accepted.stream().sorted(Comparator.comparingInt(c -> {
      int rank = PREFERRED.indexOf(c.transferSyntax());
      return rank < 0 ? PREFERRED.size() : rank;
    })).toList();
  }
}
