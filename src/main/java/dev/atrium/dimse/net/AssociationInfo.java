package dev.atrium.dimse.net;

import java.net.InetSocketAddress;

/** Who is on the other end of an association; {@code id} is a server-unique number for log correlation. */
public record AssociationInfo(long id, String callingAeTitle, String calledAeTitle, InetSocketAddress remote) {
    @Override
    public String toString() {
        return "#" + id + " " + callingAeTitle + "@" + remote + "->" + calledAeTitle;
    }
}
