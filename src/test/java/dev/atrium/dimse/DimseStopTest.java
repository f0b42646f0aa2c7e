package dev.atrium.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.dimse.net.CommandSet;
import dev.atrium.support.Http;
import dev.atrium.support.ImplicitDataSet;
import dev.atrium.support.RawDimseScu;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A stop while a C-STORE is being received lets it finish: the instance is stored and answered, and only then is
 * the association aborted (SCUs do not expect a release asked by the acceptor). It used to close the connection
 * mid-transfer.
 * An idle association is aborted at once, without waiting for the busy one.
 */
class DimseStopTest {
  private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
  private static final int A_ABORT = 0x07;
  private static final int FRAGMENT = 16_000;

  @Test
  void aCStoreUnderWayWhenTheArchiveStopsIsStoredAndAnsweredBeforeTheAbort() throws Exception {
    Path dataDir = Files.createTempDirectory("atrium-dimse-stop");
    try (TestArchive archive = new TestArchive(TestDatabase.H2, dataDir)) {
      TestInstances.Uids uids = TestInstances.fresh();
      byte[] dataSet = ctDataSet(uids);
      RawDimseScu idle = RawDimseScu.open(archive.dimsePort(), "ATRIUM", CT_IMAGE_STORAGE);
      RawDimseScu busy = RawDimseScu.open(archive.dimsePort(), "ATRIUM", CT_IMAGE_STORAGE);
      try {
        busy.sendCommand(RawDimseScu.request(CommandSet.C_STORE_RQ, CT_IMAGE_STORAGE)
            .setUI(CommandSet.AFFECTED_SOP_INSTANCE_UID, uids.sop()));
        int sent = 0;
        for (; sent < dataSet.length / 2; sent += FRAGMENT) {
          busy.sendData(Arrays.copyOfRange(dataSet, sent, sent + FRAGMENT), false);
        }
        Thread.sleep(100); // the archive has taken the request up
        CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
          try {
            archive.restart();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });

        // The stop has begun: the idle association is aborted while the other is still sending.
        assertThat(idle.nextPduType()).isEqualTo(A_ABORT);
        for (; sent < dataSet.length; sent += FRAGMENT) {
          busy.sendData(Arrays.copyOfRange(dataSet, sent, Math.min(dataSet.length, sent + FRAGMENT)),
              sent + FRAGMENT >= dataSet.length);
        }
        assertThat(busy.next().status()).isEqualTo(CommandSet.STATUS_SUCCESS);
        assertThat(busy.nextPduType()).isEqualTo(A_ABORT);
        restart.get();
      } finally {
        idle.abandon();
        busy.abandon();
      }

      assertThat(Http.get(archive.dicomWeb() + "/studies/" + uids.study() + "/series/" + uids.series()
          + "/instances/" + uids.sop(), "application/dicom").statusCode()).isEqualTo(200);
    } finally {
      TempFiles.delete(dataDir);
    }
  }

  /** A 256 x 256 16-bit CT image in implicit VR little endian, about 128 KB. */
  private static byte[] ctDataSet(TestInstances.Uids uids) {
    return new ImplicitDataSet()
        .uid(0x00080016, CT_IMAGE_STORAGE).uid(0x00080018, uids.sop()).text(0x00080060, "CT", false)
        .text(0x00100020, "STOP-1", false).uid(0x0020000D, uids.study()).uid(0x0020000E, uids.series())
        .us(0x00280002, 1).text(0x00280004, "MONOCHROME2", false).us(0x00280010, 256).us(0x00280011, 256)
        .us(0x00280100, 16).us(0x00280101, 16).us(0x00280102, 15).us(0x00280103, 0)
        .bytes(0x7FE00010, new byte[256 * 256 * 2])
        .encode();
  }
}
