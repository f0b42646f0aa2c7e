package dev.atrium.dimse.net;

import java.net.Socket;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/** The identity a DICOM TLS peer proved with its client certificate (PS3.15 B.1). */
final class PeerCertificates {
    private PeerCertificates() {}

    /** The subject CN of the verified client certificate, or null when there is none. */
    static String commonName(Socket socket) {
        if (!(socket instanceof SSLSocket secure)) return null;
        try {
            LdapName subject = new LdapName(secure.getSession().getPeerPrincipal().getName());
            for (Rdn rdn : subject.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) return String.valueOf(rdn.getValue());
            }
            return null;
        } catch (SSLPeerUnverifiedException | InvalidNameException e) {
            return null;
        }
    }
}
