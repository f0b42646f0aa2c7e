package dev.atrium.dimse.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A file region sent as P-DATA-TF PDUs straight from the file to a real loopback socket, read back by the PDU reader
 * the archive receives with: the bytes of the region exactly, in PDVs no larger than the peer allows, on the
 * presentation context given, flagged as data set fragments with "last" on the final one only (PS3.8 E.2).
 */
class FileRegionSenderTest {
    private static final int PC_ID = 5;
    private static final int SKIPPED = 333; // the region starts inside the file, as a data set after its meta information

    @TempDir
    Path tmp;
    private ServerSocketChannel server;
    private SocketChannel sending;
    private SocketChannel receiving;

    @BeforeEach
    void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        sending = SocketChannel.open(server.getLocalAddress());
        receiving = server.accept();
    }

    @AfterEach
    void close() throws IOException {
        sending.close();
        receiving.close();
        server.close();
    }

    /** Fragment sizes: a peer's max PDU of 16 KiB (dcmtk's default), one of 100 bytes, and our own largest PDU. */
    @ParameterizedTest
    @CsvSource({
        "16378, 0", "16378, 1", "16378, 16377", "16378, 16378", "16378, 16379", "16378, 261920", "16378, 261921",
        "16378, 2000017", "100, 99", "100, 100", "100, 262101", "262138, 262138", "262138, 262139", "262138, 700000"})
    void sendsTheRegionInPdvsThePeerAccepts(int fragment, int length) throws Exception {
        byte[] file = new byte[SKIPPED + length + 50];
        new Random(length).nextBytes(file);
        Path path = Files.write(tmp.resolve("instance.dcm"), file);
        List<Integer> pdvLengths = new ArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (FileChannel channel = FileChannel.open(path)) {
            FileRegionSender sender = new FileRegionSender(sending, fragment);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    sender.send(PC_ID, new FileDataSet(channel, SKIPPED, length, new byte[64]));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            PduReader reader = new PduReader(new BufferedInputStream(receiving.socket().getInputStream()), 1 << 20);
            byte[] chunk = new byte[8192];
            boolean last = false;
            while (!last) {
                assertThat(reader.nextPdv()).isEqualTo(PduReader.PDV);
                assertThat(reader.pdvPcId()).isEqualTo(PC_ID);
                assertThat(reader.pdvCommand()).isFalse();
                pdvLengths.add((int) reader.pdvRemaining());
                int n;
                while ((n = reader.readData(chunk, 0, chunk.length)) > 0) received.write(chunk, 0, n);
                last = reader.pdvLast();
            }
            sent.get();
        }
        assertThat(received.toByteArray()).isEqualTo(Arrays.copyOfRange(file, SKIPPED, SKIPPED + length));
        assertThat(pdvLengths).allMatch(n -> n <= fragment);
        // full fragments, then the rest: as many PDVs as it takes, and one (empty) for an empty data set
        assertThat(pdvLengths).hasSize(Math.max(1, (length + fragment - 1) / fragment));
        assertThat(pdvLengths.subList(0, pdvLengths.size() - 1)).allMatch(n -> n == fragment);
        receiving.configureBlocking(false);
        assertThat(receiving.read(ByteBuffer.allocate(1))).as("nothing after the last PDV").isZero();
    }

    @Test
    void aFileCutShortAfterItWasOpenedFailsTheSend() throws IOException {
        Path path = Files.write(tmp.resolve("short.dcm"), new byte[1000]);
        try (FileChannel channel = FileChannel.open(path)) {
            FileRegionSender sender = new FileRegionSender(sending, 16378);
            assertThatThrownBy(() -> sender.send(PC_ID, new FileDataSet(channel, 100, 5000, new byte[64])))
                    .isInstanceOf(EOFException.class).hasMessageContaining("4100 bytes before the end of its data set");
        }
    }

    @Test
    void theCopyThroughTheHeapWritesTheSameBytes() throws IOException {
        byte[] file = new byte[70_000];
        new Random(7).nextBytes(file);
        Path path = Files.write(tmp.resolve("tls.dcm"), file);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileChannel channel = FileChannel.open(path)) {
            new FileDataSet(channel, SKIPPED, file.length - SKIPPED, new byte[4096]).writeTo(out);
        }
        assertThat(out.toByteArray()).isEqualTo(Arrays.copyOfRange(file, SKIPPED, file.length));
    }
}
