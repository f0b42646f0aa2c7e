package dev.atrium.support;

import dev.atrium.dimse.net.CommandSet;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal DIMSE SCU on a raw socket: one presentation context (id 1, implicit VR little endian), requests sent
 * exactly when the test says, C-CANCEL-RQ even in the same write as the request (dcmtk's tools only cancel after
 * a response, which a fast SCP may outrun), and every response with its data set returned as received.
 */
public final class RawDimseScu implements AutoCloseable {
  private static final String IMPLICIT_VR_LE = "1.2.840.10008.1.2";

  /** A response: its command and its data set (null when it has none). */
  public record Response(CommandSet command, byte[] dataSet) {
    public int status() {
      return command.status();
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private ByteBuffer pdvs = ByteBuffer.allocate(0);

  private RawDimseScu(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
  }

  public static RawDimseScu open(int port, String calledAe, String sopClass) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    try {
      socket.setSoTimeout(60_000);
      socket.setTcpNoDelay(true);
      RawDimseScu scu = new RawDimseScu(socket);
      scu.out.write(associateRq(calledAe, sopClass));
      scu.out.flush();
      int type = scu.in.readUnsignedByte();
      scu.in.readUnsignedByte();
      scu.in.readFully(new byte[scu.in.readInt()]);
      if (type != 0x02) throw new IOException("association not accepted: PDU type " + type);
      return scu;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** A request with message ID 1 of the given command field, on the context's SOP class. */
  public static CommandSet request(int commandField, String sopClass) {
    return new CommandSet().setUI(CommandSet.AFFECTED_SOP_CLASS_UID, sopClass)
        .setUS(CommandSet.COMMAND_FIELD, commandField).setUS(CommandSet.MESSAGE_ID, 1)
        .setUS(CommandSet.PRIORITY, CommandSet.PRIORITY_MEDIUM);
  }

  /** Sends the request and its identifier; with {@code cancel} its C-CANCEL-RQ follows in the same write. */
  public void send(CommandSet request, byte[] identifier, boolean cancel) throws IOException {
    request.setUS(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.DATA_SET_PRESENT);
    ByteArrayOutputStream burst = new ByteArrayOutputStream();
    burst.writeBytes(pData(0x03, request.encode()));
    burst.writeBytes(pData(0x02, identifier));
    if (cancel) burst.writeBytes(cancelPdu(request.messageId()));
    out.write(burst.toByteArray());
    out.flush();
  }

  /** Sends only the command of a request whose data set follows in {@link #sendData} fragments. */
  public void sendCommand(CommandSet request) throws IOException {
    request.setUS(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.DATA_SET_PRESENT);
    out.write(pData(0x03, request.encode()));
    out.flush();
  }

  /** One fragment of the data set (at most 16 KB, the PDU size proposed); {@code last} ends it. */
  public void sendData(byte[] fragment, boolean last) throws IOException {
    out.write(pData(last ? 0x02 : 0x00, fragment));
    out.flush();
  }

  /** The type of the next PDU (0x07 for A-ABORT), or -1 when the connection ends without one. */
  public int nextPduType() throws IOException {
    try {
      int type = in.readUnsignedByte();
      in.readUnsignedByte();
      in.readFully(new byte[in.readInt()]);
      return type;
    } catch (EOFException e) {
      return -1;
    }
  }

  /** Sends a request that has no data set (C-ECHO). */
  public void send(CommandSet request) throws IOException {
    request.setUS(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.NO_DATA_SET);
    out.write(pData(0x03, request.encode()));
    out.flush();
  }

  public void cancel(int messageId) throws IOException {
    out.write(cancelPdu(messageId));
    out.flush();
  }

  /** The next message from the SCP. */
  public Response next() throws IOException {
    ByteArrayOutputStream command = new ByteArrayOutputStream();
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    CommandSet decoded = null;
    while (true) {
      while (!pdvs.hasRemaining()) {
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        if (type != 0x04) throw new IOException("unexpected PDU type " + type);
        pdvs = ByteBuffer.wrap(body);
      }
      int length = pdvs.getInt();
      pdvs.get(); // presentation context id
      int header = pdvs.get();
      byte[] fragment = new byte[length - 2];
      pdvs.get(fragment);
      boolean last = (header & 0x02) != 0;
      if ((header & 0x01) != 0) {
        command.writeBytes(fragment);
        if (last) {
          decoded = CommandSet.decode(command.toByteArray());
          if (!decoded.hasDataSet()) return new Response(decoded, null);
        }
      } else {
        data.writeBytes(fragment);
        if (last) return new Response(decoded, data.toByteArray());
      }
    }
  }

  /** Every response up to and including the final one (the last of the list). */
  public List<Response> untilFinal() throws IOException {
    List<Response> responses = new ArrayList<>();
    Response response;
    do {
      response = next();
      responses.add(response);
    } while (response.command().isPending());
    return responses;
  }

  /** Closes the connection without a word (after the SCP aborted the association). */
  public void abandon() throws IOException {
    socket.close();
  }

  /** A-RELEASE-RQ, then closes. */
  @Override
  public void close() throws IOException {
    try {
      out.write(new byte[] {0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0});
      out.flush();
    } finally {
      socket.close();
    }
  }

  private static byte[] cancelPdu(int messageId) {
    CommandSet cancel = new CommandSet().setUS(CommandSet.COMMAND_FIELD, CommandSet.C_CANCEL_RQ)
        .setUS(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO, messageId)
        .setUS(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.NO_DATA_SET);
    return pData(0x03, cancel.encode());
  }

  /** One P-DATA-TF PDU with a single, last PDV on presentation context 1. */
  private static byte[] pData(int messageControlHeader, byte[] value) {
    ByteBuffer pdu = ByteBuffer.allocate(6 + 6 + value.length);
    pdu.put((byte) 0x04).put((byte) 0).putInt(6 + value.length);
    pdu.putInt(2 + value.length).put((byte) 1).put((byte) messageControlHeader).put(value);
    return pdu.array();
  }

  /** An A-ASSOCIATE-RQ PDU proposing {@code sopClass} in implicit VR little endian as context 1. */
  public static byte[] associateRq(String calledAe, String sopClass) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0, 1, 0, 0});
    body.writeBytes(String.format("%-16s%-16s", calledAe, "RAWSCU").getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(new byte[32]);
    item(body, 0x10, "1.2.840.10008.3.1.1.1".getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream pc = new ByteArrayOutputStream();
    pc.writeBytes(new byte[] {1, 0, 0, 0});
    item(pc, 0x30, sopClass.getBytes(StandardCharsets.US_ASCII));
    item(pc, 0x40, IMPLICIT_VR_LE.getBytes(StandardCharsets.US_ASCII));
    item(body, 0x20, pc.toByteArray());
    ByteArrayOutputStream user = new ByteArrayOutputStream();
    item(user, 0x51, ByteBuffer.allocate(4).putInt(16384).array());
    item(user, 0x52, "1.2.3.4.5".getBytes(StandardCharsets.US_ASCII));
    item(body, 0x50, user.toByteArray());
    ByteArrayOutputStream pdu = new ByteArrayOutputStream();
    pdu.writeBytes(new byte[] {1, 0});
    pdu.writeBytes(ByteBuffer.allocate(4).putInt(body.size()).array());
    pdu.writeBytes(body.toByteArray());
    return pdu.toByteArray();
  }

  private static void item(ByteArrayOutputStream out, int type, byte[] value) {
    out.write(type);
    out.write(0);
    out.write(value.length >> 8);
    out.write(value.length);
    out.writeBytes(value);
  }
}
