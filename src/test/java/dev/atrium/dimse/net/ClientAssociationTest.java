package dev.atrium.dimse.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The association the archive opens to a C-MOVE destination, against the archive's own DIMSE server over loopback: a
 * stored file's data set arrives byte for byte (sent from the file by the channel path, in PDVs no larger than the
 * acceptor's maximum PDU), and a destination that never answers ends the wait after the read timeout.
 */
class ClientAssociationTest {
    private static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    @TempDir
    Path tmp;
    private DimseServer server;
    private final AtomicReference<byte[]> received = new AtomicReference<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean silent;

    @BeforeEach
    void start() throws IOException {
        server = new DimseServer(new DimseServerSettings("127.0.0.1", 0, "DEST", 16384, 4, 60_000),
                new DimseServiceRegistry() {
                    @Override
                    public boolean acceptAssociation(AssociationInfo a) {
                        return true;
                    }

                    @Override
                    public String negotiate(String abstractSyntax, List<String> proposed) {
                        return CT_IMAGE.equals(abstractSyntax) && proposed.contains(EXPLICIT_LE) ? EXPLICIT_LE : null;
                    }

                    @Override
                    public DimseRequestHandler handlerFor(int commandField, String sopClass) {
                        return commandField == CommandSet.C_STORE_RQ ? ClientAssociationTest.this::store : null;
                    }
                });
        server.start();
    }

    @AfterEach
    void stop() {
        released.countDown();
        server.close();
    }

    private void store(DimseExchange exchange, CommandSet request, InputStream dataSet) throws Exception {
        received.set(dataSet.readAllBytes());
        if (silent) released.await(60, TimeUnit.SECONDS);
        exchange.sendResponse(CommandSet.responseTo(request, CommandSet.C_STORE_RSP, CommandSet.STATUS_SUCCESS), null);
    }

    @Test
    void aStoredFilesDataSetArrivesByteForByte() throws IOException {
        byte[] file = new byte[700_000]; // several reads of the file, and 43 PDVs of the acceptor's 16 KiB PDUs
        new Random(3).nextBytes(file);
        Path path = Files.write(tmp.resolve("instance.dcm"), file);
        try (ClientAssociation association = open(10_000); FileChannel channel = FileChannel.open(path)) {
            int id = association.sendRequest(contextId(association), storeRequest(),
                    new FileDataSet(channel, 132, file.length - 132, new byte[8192]));
            assertThat(association.awaitResponse(id).status()).isEqualTo(CommandSet.STATUS_SUCCESS);
            association.release();
        }
        assertThat(received.get()).isEqualTo(Arrays.copyOfRange(file, 132, file.length));
    }

    @Test
    void aDestinationThatNeverAnswersEndsTheWaitAfterTheReadTimeout() throws IOException {
        silent = true;
        Path path = Files.write(tmp.resolve("instance.dcm"), new byte[5000]);
        try (ClientAssociation association = open(1_000); FileChannel channel = FileChannel.open(path)) {
            int id = association.sendRequest(contextId(association), storeRequest(),
                    new FileDataSet(channel, 0, 5000, new byte[8192]));
            assertThatThrownBy(() -> association.awaitResponse(id)).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(received.get()).hasSize(5000);
    }

    private ClientAssociation open(int readTimeoutMillis) throws IOException {
        return ClientAssociation.open(new ClientAssociation.Settings("ATRIUM", "DEST", "127.0.0.1", server.port(),
                65536, 5_000, readTimeoutMillis),
                List.of(new ClientAssociation.ProposedContext(CT_IMAGE, List.of(EXPLICIT_LE))));
    }

    private static int contextId(ClientAssociation association) {
        return association.requestContexts(CT_IMAGE).get(0).id();
    }

    private static CommandSet storeRequest() {
        return new CommandSet()
                .setUI(CommandSet.AFFECTED_SOP_CLASS_UID, CT_IMAGE)
                .setUS(CommandSet.COMMAND_FIELD, CommandSet.C_STORE_RQ)
                .setUS(CommandSet.PRIORITY, CommandSet.PRIORITY_MEDIUM)
                .setUI(CommandSet.AFFECTED_SOP_INSTANCE_UID, "1.2.3.4.5");
    }
}
