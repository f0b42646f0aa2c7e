package dev.atrium.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atrium.config.AtriumConfig;
import dev.atrium.support.Dcmtk;
import dev.atrium.support.TempFiles;
import dev.atrium.support.TestArchive;
import dev.atrium.support.TestDatabase;
import dev.atrium.support.TestInstances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Issue #6, DIMSE access control: known calling AEs, from their hosts, for their services; dcmtk as the peers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DimseAccessTest {
  private Path dataDir;
  private Path work;
  private TestArchive archive;
  private Path instance;

  @BeforeAll
  void start() throws Exception {
    dataDir = Files.createTempDirectory("atrium-dimse-access");
    work = Files.createTempDirectory("atrium-dimse-access-work");
    Map<String, AtriumConfig.KnownAe> known = Map.of(
        "MODALITY", new AtriumConfig.KnownAe("MODALITY", List.of("127.0.0.1"), Set.of("echo", "store"), false),
        "VIEWER", new AtriumConfig.KnownAe("VIEWER", List.of("127.0.0.0/8"), Set.of("echo", "find"), false),
        "ELSEWHERE", new AtriumConfig.KnownAe("ELSEWHERE", List.of("10.9.9.0/24"), Set.of("echo", "store"), false));
    archive = new TestArchive(TestDatabase.H2, dataDir, config -> {
      AtriumConfig.Dimse d = config.dimse();
      return config.withDimse(d.withAccess(known, d.calledAePartitions()));
    });
    instance = TestInstances.ct(work, TestInstances.fresh());
  }

  @AfterAll
  void stop() throws Exception {
    if (archive != null) archive.close();
    TempFiles.delete(dataDir);
    TempFiles.delete(work);
  }

  @Test
  void knownAeFromItsHostIsAdmitted() throws Exception {
    assertThat(echo("MODALITY", archive.aeTitle()).exitCode()).isZero();
    Dcmtk.Result store = dcmtk("storescu", "MODALITY", archive.aeTitle(), instance.toString());
    assertThat(store.exitCode()).as(store.output()).isZero();
    assertThat(store.output()).doesNotContain("Refused");
  }

  @Test
  void unknownCallingAeIsRejectedWithTheReason() throws Exception {
    Dcmtk.Result echo = echo("STRANGER", archive.aeTitle());
    assertThat(echo.exitCode()).isNotZero();
    assertThat(echo.output()).contains("Association Rejected").contains("Calling AE Title Not Recognized");
  }

  @Test
  void knownAeFromAnotherHostIsRejected() throws Exception {
    Dcmtk.Result echo = echo("ELSEWHERE", archive.aeTitle());
    assertThat(echo.exitCode()).isNotZero();
    assertThat(echo.output()).contains("Calling AE Title Not Recognized");
  }

  @Test
  void wrongCalledAeIsRejectedWithTheReason() throws Exception {
    Dcmtk.Result echo = echo("MODALITY", "NOT_ATRIUM");
    assertThat(echo.exitCode()).isNotZero();
    assertThat(echo.output()).contains("Called AE Title Not Recognized");
  }

  @Test
  void serviceNotGrantedIsRefusedNotAuthorized() throws Exception {
    // VIEWER may query but not store; MODALITY may store but not query (PS3.7 C.5: 0124).
    Dcmtk.Result store = dcmtk("storescu", "VIEWER", archive.aeTitle(), instance.toString());
    assertThat(store.output()).contains("Status: 0x124");
    Dcmtk.Result find = dcmtk("findscu", "MODALITY", archive.aeTitle(), "-S", "-k", "QueryRetrieveLevel=STUDY",
        "-k", "StudyInstanceUID");
    assertThat(find.output()).containsPattern("0x0?124");
    Dcmtk.Result allowed = dcmtk("findscu", "VIEWER", archive.aeTitle(), "-S", "-k", "QueryRetrieveLevel=STUDY",
        "-k", "StudyInstanceUID");
    assertThat(allowed.exitCode()).as(allowed.output()).isZero();
    assertThat(allowed.output()).doesNotContainPattern("0x0?124");
  }

  private Dcmtk.Result echo(String callingAe, String calledAe) throws Exception {
    return dcmtk("echoscu", callingAe, calledAe);
  }

  /** tool -v -aet calling -aec called [options…] host port [files…]: options before the address, files after. */
  private Dcmtk.Result dcmtk(String tool, String callingAe, String calledAe, String... rest) throws Exception {
    List<String> command = new ArrayList<>(List.of(tool, "-v", "-aet", callingAe, "-aec", calledAe));
    List<String> files = new ArrayList<>();
    for (String arg : rest) {
      if (arg.endsWith(".dcm") || Files.isRegularFile(Path.of(arg))) files.add(arg);
      else command.add(arg);
    }
    command.add("127.0.0.1");
    command.add(String.valueOf(archive.dimsePort()));
    command.addAll(files);
    return Dcmtk.run(60, command);
  }
}
