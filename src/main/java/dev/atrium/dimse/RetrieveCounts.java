package dev.atrium.dimse;

import dev.atrium.dicom.FailedUidList;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DataSetWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The sub-operation counts of a C-MOVE or C-GET and the responses that carry them (PS3.7 9.1.4.1, 9.1.3.1;
 * statuses PS3.4 C.4.2.1.4, C.4.3.1.4).
 */
final class RetrieveCounts {
  static final int STATUS_UNABLE_TO_PERFORM_SUB_OPERATIONS = 0xA702;
  static final int STATUS_MOVE_DESTINATION_UNKNOWN = 0xA801;
  static final int STATUS_SUB_OPERATIONS_WITH_FAILURES = 0xB000;

  private final int total;
  private int completed, failed, warning;
  private final List<String> failedUids = new ArrayList<>();

  RetrieveCounts(int total) {
    this.total = total;
  }

  /** C-STORE statuses (PS3.4 B.2.3): 0000 success, Bxxx warning (coercion, elements discarded), others failure. */
  static boolean isFailure(int storeStatus) {
    return storeStatus != CommandSet.STATUS_SUCCESS && (storeStatus & 0xF000) != 0xB000;
  }

  void record(String sopInstanceUid, int storeStatus) {
    if (storeStatus == CommandSet.STATUS_SUCCESS) completed++;
    else if (isFailure(storeStatus)) failed(sopInstanceUid);
    else warning++;
  }

  void failed(String sopInstanceUid) {
    failed++;
    failedUids.add(sopInstanceUid);
  }

  int done() {
    return completed + failed + warning;
  }

  int remaining() {
    return total - done();
  }

  /** A response with the counts; Remaining only where PS3.7 9.3.4.2 and 9.3.3.2 allow it: Pending and Cancel. */
  CommandSet response(CommandSet request, int status) {
    CommandSet response = CommandSet.responseTo(request, request.commandField() | CommandSet.RESPONSE_BIT, status);
    if (status == CommandSet.STATUS_PENDING || status == CommandSet.STATUS_CANCEL) {
      response.setUS(CommandSet.NUMBER_OF_REMAINING_SUBOPERATIONS, us(remaining()));
    }
    return response.setUS(CommandSet.NUMBER_OF_COMPLETED_SUBOPERATIONS, us(completed))
        .setUS(CommandSet.NUMBER_OF_FAILED_SUBOPERATIONS, us(failed))
        .setUS(CommandSet.NUMBER_OF_WARNING_SUBOPERATIONS, us(warning));
  }

  /**
   * The final status (PS3.4 C.4.2.3.1): Cancel when cancelled; Success when every sub-operation succeeded; A702
   * when none did; B000 when some failed or had warnings.
   */
  int finalStatus(boolean cancelled) {
    if (cancelled) return CommandSet.STATUS_CANCEL;
    if (failed == 0 && warning == 0) return CommandSet.STATUS_SUCCESS;
    if (completed == 0 && warning == 0) return STATUS_UNABLE_TO_PERFORM_SUB_OPERATIONS;
    return STATUS_SUB_OPERATIONS_WITH_FAILURES;
  }

  /** The final response's identifier: the Failed SOP Instance UID List (0008,0058), or none when nothing failed. */
  DataSetWriter failedList(String transferSyntaxUid) {
    if (failedUids.isEmpty()) return null;
    byte[] identifier = FailedUidList.encode(transferSyntaxUid, failedUids);
    return out -> out.write(identifier);
  }

  /** The counts are US (PS3.7 E.1): a retrieve of more than 65535 instances reports 65535. */
  private static int us(int count) {
    return Math.min(count, 0xFFFF);
  }
}
