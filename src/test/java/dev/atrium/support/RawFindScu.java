package dev.atrium.support;

import dev.atrium.dimse.net.CommandSet;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal C-FIND SCU on a raw socket (implicit VR little endian) that can send its C-CANCEL-RQ
 * in the same write as the request, so "cancelled before the first match" does not depend on
 * timing (findscu --cancel only cancels after a response, which a fast SCP may outrun).
 */
public final class RawFindScu {
  private static final String IMPLICIT_VR_LE = "1.2.840.10008.1.2";

  private RawFindScu() {}

  /** Statuses of every response received, in order (the last is the final one). */
  public static List<Integer> find(int port, String calledAe, String sopClass, byte[] identifier, boolean cancel)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      out.write(associateRq(calledAe, sopClass));
      out.flush();
      int type = in.readUnsignedByte();
      in.readUnsignedByte();
      byte[] ac = new byte[in.readInt()];
      in.readFully(ac);
      if (type != 0x02) throw new IOException("association not accepted: PDU type " + type);

      CommandSet rq = new CommandSet().setUI(CommandSet.AFFECTED_SOP_CLASS_UID, sopClass)
          .setUS(CommandSet.COMMAND_FIELD, CommandSet.C_FIND_RQ).setUS(CommandSet.MESSAGE_ID, 1)
          .setUS(CommandSet.PRIORITY, CommandSet.PRIORITY_MEDIUM)
          .setUS(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.DATA_SET_PRESENT);
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      burst.writeBytes(pData(0x03, rq.encode()));
      burst.writeBytes(pData(0x02, identifier));
      if (cancel) {
        CommandSet cancelRq = new CommandSet().setUS(CommandSet.COMMAND_FIELD, CommandSet.C_CANCEL_RQ)
            .setUS(CommandSet.MESSAGE_ID_BEING_RESPONDED_TO, 1)
            .setUS(CommandSet.COMMAND_DATA_SET_TYPE, CommandSet.NO_DATA_SET);
        burst.writeBytes(pData(0x03, cancelRq.encode()));
      }
      out.write(burst.toByteArray());
      out.flush();

      List<Integer> statuses = new ArrayList<>();
      ByteArrayOutputStream command = new ByteArrayOutputStream();
      while (true) {
        type = in.readUnsignedByte();
        in.readUnsignedByte();
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        if (type != 0x04) throw new IOException("unexpected PDU type " + type + " after " + statuses);
        ByteBuffer pdvs = ByteBuffer.wrap(body);
        while (pdvs.remaining() > 0) {
          int length = pdvs.getInt();
          pdvs.get(); // presentation context id
          int header = pdvs.get();
          byte[] fragment = new byte[length - 2];
          pdvs.get(fragment);
          if ((header & 0x01) == 0) continue; // data set fragments: not needed here
          command.writeBytes(fragment);
          if ((header & 0x02) != 0) {
            int status = CommandSet.decode(command.toByteArray()).status();
            command.reset();
            statuses.add(status);
            if (status != CommandSet.STATUS_PENDING && status != CommandSet.STATUS_PENDING_WARNING) {
              out.write(new byte[] {0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0}); // A-RELEASE-RQ
              out.flush();
              return statuses;
            }
          }
        }
      }
    }
  }

  /** One P-DATA-TF PDU with a single, last PDV on presentation context 1. */
  private static byte[] pData(int messageControlHeader, byte[] value) {
    ByteBuffer pdu = ByteBuffer.allocate(6 + 6 + value.length);
    pdu.put((byte) 0x04).put((byte) 0).putInt(6 + value.length);
    pdu.putInt(2 + value.length).put((byte) 1).put((byte) messageControlHeader).put(value);
    return pdu.array();
  }

  private static byte[] associateRq(String calledAe, String sopClass) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0, 1, 0, 0});
    body.writeBytes(String.format("%-16s%-16s", calledAe, "RAWFINDSCU").getBytes(StandardCharsets.US_ASCII));
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
