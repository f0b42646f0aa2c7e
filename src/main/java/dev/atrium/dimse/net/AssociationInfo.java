package dev.atrium.dimse.net;

import java.net.InetSocketAddress;

/**
 * Who is on the other end of an association; {@code id} is a server-unique number for log correlation.
 * {@code peerCertificateName} is the common name of the client certificate a DICOM TLS peer authenticated
 * with, or null (plain TCP, or TLS without a client certificate).
 */
public record AssociationInfo(long id, String callingAeTitle, String calledAeTitle, InetSocketAddress remote,
                              String peerCertificateName) {

    public AssociationInfo(long id, String callingAeTitle, String calledAeTitle, InetSocketAddress remote) {
        this(id, callingAeTitle, calledAeTitle, remote, null);
    }

    @Override
    public String toString() {
        return "#" + id + " " + callingAeTitle + "@" + remote + "->" + calledAeTitle;
    }
}
