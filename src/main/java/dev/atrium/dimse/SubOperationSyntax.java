package dev.atrium.dimse;

import dev.atrium.dicom.FileMetaReader;
import dev.atrium.dimse.net.AcceptedContext;
import dev.atrium.dimse.net.DataSetWriter;
import java.util.List;
import java.util.Optional;

/**
 * How a stored instance goes out in a C-STORE sub-operation: on which accepted presentation context, and the bytes
 * it sends there. Today: as stored, on a context in its stored transfer syntax, or not at all (the sub-operation
 * fails). A transcoder (issue #4) plugs in here: another context, and a writer that converts.
 */
final class SubOperationSyntax {
  private SubOperationSyntax() {}

  record Sending(AcceptedContext context, DataSetWriter writer) {}

  /** @param buffer the copy buffer of the sub-operations run (bounded, reused for every instance) */
  static Optional<Sending> choose(FileMetaReader.DataSet stored, List<AcceptedContext> accepted, byte[] buffer) {
    return accepted.stream().filter(c -> c.transferSyntax().equals(stored.transferSyntaxUid())).findFirst()
        .map(context -> new Sending(context, out -> {
          int n;
          while ((n = stored.stream().read(buffer)) > 0) out.write(buffer, 0, n);
        }));
  }
}
