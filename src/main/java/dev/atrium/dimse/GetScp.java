package dev.atrium.dimse;

import dev.atrium.dicom.SopClasses;
import dev.atrium.dimse.net.CommandSet;
import dev.atrium.dimse.net.DimseExchange;
import dev.atrium.index.StoredInstance;
import dev.atrium.retrieve.RetrieveService;
import java.io.IOException;
import java.util.List;

/**
 * C-GET SCP (PS3.4 C.4.3): the C-STORE sub-operations go back on the requestor's own association, on the storage
 * contexts it negotiated in the SCP role (PS3.7 D.3.3.4); an instance of a class or syntax it did not offer fails.
 */
final class GetScp extends RetrieveScp {
  GetScp(RetrieveService retrieve, CalledAePartitions partitions, DimseAudit audit, DimseCounts counts) {
    super(retrieve, partitions, audit, counts);
  }

  static boolean isGet(String sopClassUid) {
    return SopClasses.PATIENT_ROOT_GET.equals(sopClassUid) || SopClasses.STUDY_ROOT_GET.equals(sopClassUid);
  }

  @Override
  String destination(DimseExchange exchange, CommandSet request) {
    return "to " + exchange.association().callingAeTitle();
  }

  @Override
  Finish retrieve(DimseExchange exchange, CommandSet request, List<StoredInstance> instances) throws IOException {
    SubOperations.Outcome outcome = subOperations.run(instances, exchange, null, exchange, request);
    return new Finish(outcome.counts(), outcome.cancelled(), null);
  }
}
