package dev.atrium.audit;

import dev.atrium.config.AtriumConfig;
import dev.atrium.config.ConfigException;
import dev.atrium.security.TlsContexts;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Locale;
import javax.net.ssl.SSLContext;

/** Builds the archive's {@link AuditTrail} from the audit section of the configuration. */
public final class AuditTrails {
  private AuditTrails() {}

  /** {@code patients}: the index's view of whose each study is. */
  public static AuditTrail open(AtriumConfig config, AuditPatients patients) throws IOException {
    AtriumConfig.Audit audit = config.audit();
    if (!audit.enabled()) return AuditTrail.NONE;
    Path directory = audit.directory().isBlank() ? config.dataDir().resolve("audit") : Path.of(audit.directory());
    SyslogForwarder.Target syslog = null;
    if (!audit.syslogHost().isBlank()) {
      SyslogForwarder.Protocol protocol;
      try {
        protocol = SyslogForwarder.Protocol.valueOf(audit.syslogProtocol().trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("audit.syslog.protocol must be tls, tcp or udp, not '" + audit.syslogProtocol() + "'");
      }
      SSLContext tls = protocol == SyslogForwarder.Protocol.TLS ? TlsContexts.client(audit.syslogTrustedCertificates())
          : null;
      syslog = new SyslogForwarder.Target(audit.syslogHost(), audit.syslogPort(), protocol, tls,
          tls == null ? null : TlsContexts.parameters(tls));
    }
    return new AuditTrail(directory, audit.sourceId(), hostName(), syslog, patients, audit.maxFileBytes(),
        audit.keepClosedFiles());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
