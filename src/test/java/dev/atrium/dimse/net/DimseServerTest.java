package dev.atrium.dimse.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atrium.support.RawDimseScu;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end against the dcmtk command line tools (skipped when they or the pydicom test files are absent). */
class DimseServerTest {
    private static final Path TEST_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    private static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";

    @TempDir
    Path tmp;
    private Path received;
    private DimseServer server;
    private final AtomicInteger stored = new AtomicInteger();
    private volatile boolean storeFails;
    private volatile int findMatches = 2;

    @BeforeEach
    void start() throws IOException {
        assumeTrue(Files.isDirectory(TEST_FILES) && onPath("echoscu") && onPath("storescu"), "dcmtk / test files");
        received = Files.createDirectories(tmp.resolve("received"));
        startServer(4, 20_000);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void startServer(int maxAssociations, int idleTimeoutMillis) throws IOException {
        if (server != null) server.close();
        server = new DimseServer(new DimseServerSettings("127.0.0.1", 0, "ATRIUM", 65536, maxAssociations,
                idleTimeoutMillis),
                new TestRegistry());
        server.start();
    }

    @Test
    void echo() throws Exception {
        assertThat(run("echoscu", "-aec", "ATRIUM", "127.0.0.1", port()).exitCode).isZero();
    }

    @Test
    void wrongCalledAeTitleIsRejected() throws Exception {
        Result r = run("echoscu", "-aec", "NOT_US", "127.0.0.1", port());
        assertThat(r.exitCode).isNotZero();
        assertThat(r.output).contains("Association Rejected").contains("Called AE Title Not Recognized");
    }

    @Test
    void storedDataSetIsByteIdenticalToTheFile() throws Exception {
        assumeTrue(onPath("dcmconv") && onPath("dcmodify"));
        // storescu drops group lengths and trailing padding while sending, so give it a file without them
        Path ct = tmp.resolve("ct.dcm");
        assertThat(run("dcmconv", "-g", TEST_FILES.resolve("CT_small.dcm").toString(), ct.toString()).exitCode).isZero();
        assertThat(run("dcmodify", "-nb", "-e", "(fffc,fffc)", ct.toString()).exitCode).isZero();

        Result r = run("storescu", "-aec", "ATRIUM", "127.0.0.1", port(), ct.toString());
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(receivedFile("1.2.840.10008.1.2.1")).hasBinaryContent(dataSetOf(ct));
    }

    @Test
    void compressedTransferSyntaxesArriveUnchanged() throws Exception {
        String[][] cases = {
                {"-xs", "SC_rgb_jpeg_gdcm.dcm", "1.2.840.10008.1.2.4.70"},
                {"-xv", "GDCMJ2K_TextGBR.dcm", "1.2.840.10008.1.2.4.90"},
                {"-xr", "SC_rgb_rle.dcm", "1.2.840.10008.1.2.5"}};
        for (String[] c : cases) {
            Path file = TEST_FILES.resolve(c[1]);
            Result r = run("storescu", c[0], "-aec", "ATRIUM", "127.0.0.1", port(), file.toString());
            assertThat(r.exitCode).as(r.output).isZero();
            assertThat(receivedFile(c[2])).as(c[1]).hasBinaryContent(dataSetOf(file));
        }
    }

    @Test
    void wholeTestFileDirectoryOverOneAssociation() throws Exception {
        // storescu itself refuses some files (broken ones, no matching context); the rest must succeed
        Result r = run("storescu", "-nh", "+sd", "+r", "-aec", "ATRIUM", "127.0.0.1", port(), TEST_FILES.toString());
        assertThat(r.output).doesNotContain("Abort").doesNotContain("Status: 0x");
        assertThat(stored.get()).isGreaterThan(50);
    }

    @Test
    void handlerExceptionGivesFailureStatusAndKeepsTheAssociation() throws Exception {
        storeFails = true;
        Path ct = TEST_FILES.resolve("CT_small.dcm");
        Result r = run("storescu", "-nh", "-d", "-aec", "ATRIUM", "127.0.0.1", port(), ct.toString(), ct.toString());
        assertThat(r.output).doesNotContain("Abort");
        assertThat(r.output.split("DIMSE Status\\s+: 0x0110", -1)).hasSize(3); // both requests answered
        assertThat(r.output).contains("ErrorComment").contains("deliberate");
    }

    @Test
    void manyInstancesOverOneAssociation() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bulk"));
        int n = 500;
        for (int i = 0; i < n; i++) Files.copy(TEST_FILES.resolve("CT_small.dcm"), dir.resolve("ct" + i + ".dcm"));
        long t0 = System.nanoTime();
        Result r = run("storescu", "+sd", "-aec", "ATRIUM", "127.0.0.1", port(), dir.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(stored.get()).isEqualTo(n);
        System.out.printf("stored %d instances in %.2f s: %.0f/s%n", n, seconds, n / seconds);
    }

    @Test
    void clientWithNagleIsNotSlowedByDelayedAcks() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("nagle"));
        int n = 100;
        for (int i = 0; i < n; i++) Files.copy(TEST_FILES.resolve("CT_small.dcm"), dir.resolve("ct" + i + ".dcm"));
        long t0 = System.nanoTime();
        Result r = run(false, "storescu", "+sd", "-aec", "ATRIUM", "127.0.0.1", port(), dir.toString());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(stored.get()).isEqualTo(n);
        // without TCP_QUICKACK each store waits ~40 ms for our delayed ACK: > 4 s here
        assertThat(millis).isLessThan(3_000);
    }

    @Test
    void findWithPendingResponsesCarryingDataSets() throws Exception {
        assumeTrue(onPath("findscu"));
        Result r = run("findscu", "-v", "-S", "-aec", "ATRIUM", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName",
                "127.0.0.1", port());
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(r.output).contains("DOE^JOHN0").contains("DOE^JOHN1").contains("Received Final Find Response (Success)");
    }

    @Test
    void findCanBeCancelled() throws Exception {
        assumeTrue(onPath("findscu"));
        findMatches = 100;
        Result r = run("findscu", "-v", "-S", "--cancel", "2", "-aec", "ATRIUM", "-k", "QueryRetrieveLevel=STUDY",
                "-k", "PatientName", "127.0.0.1", port());
        assertThat(r.exitCode).as(r.output).isZero();
        assertThat(r.output).contains("Received Final Find Response (Cancel")
                .doesNotContain("DOE^JOHN10");
    }

    @Test
    void aRequestForAnotherSopClassThanItsContextIsRefusedAndTheAssociationGoesOn() throws Exception {
        // PS3.7 C.5.5: 0122, SOP Class not supported (it used to answer a C-ECHO naming any class with success).
        try (RawDimseScu scu = RawDimseScu.open(server.port(), "ATRIUM", EchoHandler.VERIFICATION_SOP_CLASS)) {
            scu.send(RawDimseScu.request(CommandSet.C_ECHO_RQ, STUDY_ROOT_FIND));
            RawDimseScu.Response refused = scu.next();
            assertThat(refused.status()).isEqualTo(0x0122);
            assertThat(refused.command().getString(CommandSet.ERROR_COMMENT)).contains(STUDY_ROOT_FIND);
            scu.send(RawDimseScu.request(CommandSet.C_ECHO_RQ, EchoHandler.VERIFICATION_SOP_CLASS));
            assertThat(scu.next().status()).isZero();
        }
        assertThat(run("echoscu", "-aec", "ATRIUM", "127.0.0.1", port()).exitCode).isZero();
    }

    @Test
    void protocolViolationsAreAbortedAndTheServerKeepsServing() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(new byte[] {0x09, 0, 0, 0, 0, 4, 1, 2, 3, 4}); // unknown PDU type
            assertThat(readPdu(s)).containsExactly(0x07, 0, 0, 2, 1);                // A-ABORT, provider, unrecognized PDU
        }
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(associateRq());
            assertThat(readPdu(s)[0]).isEqualTo(0x02);
            // a P-DATA-TF claiming 2 GiB: must be refused without allocating it
            s.getOutputStream().write(new byte[] {0x04, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertThat(readPdu(s)).containsExactly(0x07, 0, 0, 2, 6);
        }
        assertThat(run("echoscu", "-aec", "ATRIUM", "127.0.0.1", port()).exitCode).isZero();
    }

    @Test
    void associationsBeyondTheLimitAreRejectedTransiently() throws Exception {
        startServer(1, 20_000);
        try (Socket held = new Socket("127.0.0.1", server.port())) {
            held.getOutputStream().write(associateRq());
            assertThat(readPdu(held)[0]).isEqualTo(0x02);
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(associateRq());
                assertThat(readPdu(s)).containsExactly(0x03, 0, 2, 3, 2); // RJ transient, presentation, local limit
            }
        }
    }

    @Test
    void idlePeerIsDisconnected() throws Exception {
        startServer(4, 300);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(associateRq());
            assertThat(readPdu(s)[0]).isEqualTo(0x02);
            s.setSoTimeout(5_000);
            long t0 = System.nanoTime();
            s.getInputStream().readAllBytes(); // A-ABORT, then EOF once the server closed the socket
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3_000);
        }
    }

    // ---- fixtures ---------------------------------------------------------------------------------

    private final class TestRegistry implements DimseServiceRegistry {
        @Override
        public boolean acceptAssociation(AssociationInfo a) {
            return true;
        }

        @Override
        public String negotiate(String abstractSyntax, List<String> proposed) {
            boolean storage = abstractSyntax.startsWith("1.2.840.10008.5.1.4.")
                    && !abstractSyntax.startsWith("1.2.840.10008.5.1.4.1.2.");
            boolean known = storage || abstractSyntax.equals(EchoHandler.VERIFICATION_SOP_CLASS)
                    || abstractSyntax.equals(STUDY_ROOT_FIND);
            return known && !proposed.isEmpty() ? proposed.get(0) : null;
        }

        @Override
        public DimseRequestHandler handlerFor(int commandField, String sopClass) {
            return switch (commandField) {
                case CommandSet.C_ECHO_RQ -> EchoHandler.INSTANCE;
                case CommandSet.C_STORE_RQ -> DimseServerTest.this::store;
                case CommandSet.C_FIND_RQ -> DimseServerTest.this::find;
                default -> null;
            };
        }
    }

    private void store(DimseExchange ex, CommandSet rq, InputStream data) throws Exception {
        if (storeFails) throw new IllegalStateException("deliberate failure");
        String name = stored.incrementAndGet() + "_" + ex.transferSyntaxUid() + ".ds";
        try (OutputStream out = Files.newOutputStream(received.resolve(name))) {
            data.transferTo(out);
        }
        ex.sendResponse(CommandSet.responseTo(rq, CommandSet.C_STORE_RSP, CommandSet.STATUS_SUCCESS), null);
    }

    private void find(DimseExchange ex, CommandSet rq, InputStream identifier) throws Exception {
        identifier.readAllBytes();
        boolean explicit = !ex.transferSyntaxUid().equals("1.2.840.10008.1.2");
        for (int i = 0; i < findMatches; i++) {
            if (ex.isCancelled()) {
                ex.sendResponse(CommandSet.responseTo(rq, CommandSet.C_FIND_RSP, CommandSet.STATUS_CANCEL), null);
                return;
            }
            byte[] ds = dataSet(explicit, "STUDY ", "DOE^JOHN" + i + " ");
            ex.sendResponse(CommandSet.responseTo(rq, CommandSet.C_FIND_RSP, CommandSet.STATUS_PENDING), out -> out.write(ds));
            if (findMatches > 2) Thread.sleep(20); // give the C-CANCEL time to arrive
        }
        ex.sendResponse(CommandSet.responseTo(rq, CommandSet.C_FIND_RSP, CommandSet.STATUS_SUCCESS), null);
    }

    /** (0008,0052) CS and (0010,0010) PN in implicit or explicit VR little endian. */
    private static byte[] dataSet(boolean explicit, String level, String name) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        element(b, explicit, 0x0008, 0x0052, "CS", level);
        element(b, explicit, 0x0010, 0x0010, "PN", name);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static void element(ByteBuffer b, boolean explicit, int group, int elem, String vr, String value) {
        b.putShort((short) group).putShort((short) elem);
        if (explicit) b.put(vr.getBytes(StandardCharsets.US_ASCII)).putShort((short) value.length());
        else b.putInt(value.length());
        b.put(value.getBytes(StandardCharsets.US_ASCII));
    }

    /** The single received file stored under the given transfer syntax (deleted afterwards). */
    private Path receivedFile(String transferSyntax) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(received)) {
            s.filter(p -> p.getFileName().toString().endsWith("_" + transferSyntax + ".ds")).forEach(files::add);
        }
        assertThat(files).hasSize(1);
        Path copy = tmp.resolve("last-" + transferSyntax);
        Files.move(files.get(0), copy);
        return copy;
    }

    /** A Part 10 file minus its 128-byte preamble, "DICM" and the group 0002 meta information. */
    private static byte[] dataSetOf(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        // first meta element is (0002,0000) UL, explicit VR LE: tag 4, VR 2, length 2, value 4
        int groupLength = ByteBuffer.wrap(raw, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int start = 144 + groupLength;
        byte[] ds = new byte[raw.length - start];
        System.arraycopy(raw, start, ds, 0, ds.length);
        return ds;
    }

    private static byte[] associateRq() {
        return RawDimseScu.associateRq("ATRIUM", EchoHandler.VERIFICATION_SOP_CLASS);
    }

    /** PDU type followed by the first 4 body bytes (the whole body for RJ and A-ABORT). */
    private static int[] readPdu(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        return new int[] {type, body[0] & 0xFF, body[1] & 0xFF, body[2] & 0xFF, body[3] & 0xFF};
    }

    private String port() {
        return Integer.toString(server.port());
    }

    private record Result(int exitCode, String output) {}

    private static Result run(String... command) throws Exception {
        return run(true, command);
    }

    private static Result run(boolean noDelay, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (noDelay) pb.environment().put("TCP_NODELAY", "1"); // dcmtk leaves Nagle on unless told
        else pb.environment().remove("TCP_NODELAY");
        Process p = pb.start();
        AtomicReference<String> out = new AtomicReference<>("");
        Thread reader = new Thread(() -> {
            try {
                out.set(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // process died
            }
        });
        reader.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        reader.join(5_000);
        return new Result(p.exitValue(), out.get());
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":"))
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }
}
