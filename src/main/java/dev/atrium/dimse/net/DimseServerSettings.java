package dev.atrium.dimse.net;

/**
 * Configuration of a {@link DimseServer}.
 *
 * @param bindAddress       local address to bind, null = all interfaces
 * @param port              TCP port, 0 = ephemeral (see {@link DimseServer#port()})
 * @param aeTitle           our AE title; the Called AE Title of every association must match it
 * @param maxPduLength      maximum P-DATA-TF PDU length we advertise and accept (PS3.8 D.1)
 * @param maxAssociations   concurrent associations; further ones are rejected (transient, local limit)
 * @param idleTimeoutMillis socket read timeout (ARTIM / idle), 0 = none
 */
public record DimseServerSettings(String bindAddress, int port, String aeTitle, int maxPduLength,
                                  int maxAssociations, int idleTimeoutMillis) {

    public static final int DEFAULT_MAX_PDU_LENGTH = 65536;

    public DimseServerSettings {
        if (aeTitle == null || aeTitle.isBlank() || aeTitle.trim().length() > 16)
            throw new IllegalArgumentException("AE title must be 1..16 characters: " + aeTitle);
        aeTitle = aeTitle.trim();
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        // below ~1 KiB fragmentation overhead dominates; above 16 MiB we would allocate silly buffers
        if (maxPduLength < 1024 || maxPduLength > 16 << 20)
            throw new IllegalArgumentException("maxPduLength " + maxPduLength);
        if (maxAssociations < 1) throw new IllegalArgumentException("maxAssociations " + maxAssociations);
        if (idleTimeoutMillis < 0) throw new IllegalArgumentException("idleTimeoutMillis " + idleTimeoutMillis);
    }

    /** Any address, 64 KiB PDUs, 50 associations, 60 s idle timeout. */
    public static DimseServerSettings of(String aeTitle, int port) {
        return new DimseServerSettings(null, port, aeTitle, DEFAULT_MAX_PDU_LENGTH, 50, 60_000);
    }
}
