package dev.atrium.security;

import dev.atrium.config.AtriumConfig;
import dev.atrium.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context both listeners use, from the tls section: a key store, or a PEM chain and a
 * PKCS#8 PEM key. Protocols and cipher suites follow BCP 195 (RFC 9325), which PS3.15 B.1's
 * "BCP 195 TLS Secure Transport Connection Profile" names: TLS 1.2 and 1.3 only, ephemeral key
 * exchange and AEAD ciphers only.
 */
public final class TlsContexts {
  public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  public static final String[] CIPHER_SUITES = {
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"};
  private static final Pattern PEM = Pattern.compile(
      "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

  private TlsContexts() {}

  /** Null when no key is configured (no TLS listeners). */
  public static SSLContext create(AtriumConfig.Tls tls) {
    if (!tls.configured()) return null;
    try {
      char[] password = tls.keyStorePassword().toCharArray();
      KeyStore keys = tls.keyStore().isBlank() ? pemKeyStore(tls, password) : loadKeyStore(tls.keyStore(), password);
      KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(),
          tls.trustedCertificates().isBlank() ? null : trustManagers(tls.trustedCertificates()), null);
      return context;
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigException("tls: " + e.getMessage());
    }
  }

  /** A client context trusting the PEM CA certificates given, or the JVM's trust store when none are. */
  public static SSLContext client(String trustedCertificates) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustedCertificates.isBlank() ? null : trustManagers(trustedCertificates), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("TLS trust " + trustedCertificates + ": " + e.getMessage());
    }
  }

  private static javax.net.ssl.TrustManager[] trustManagers(String pemFile) throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    int n = 0;
    for (Certificate certificate : certificates(pemFile)) trusted.setCertificateEntry("trusted-" + n++, certificate);
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trusted);
    return factory.getTrustManagers();
  }

  /** The BCP 195 protocols and the suites of {@link #CIPHER_SUITES} this JVM supports. */
  public static SSLParameters parameters(SSLContext context) {
    SSLParameters parameters = context.getDefaultSSLParameters();
    parameters.setProtocols(PROTOCOLS);
    List<String> supported = List.of(context.getSupportedSSLParameters().getCipherSuites());
    parameters.setCipherSuites(List.of(CIPHER_SUITES).stream().filter(supported::contains).toArray(String[]::new));
    return parameters;
  }

  private static KeyStore loadKeyStore(String file, char[] password) throws IOException, GeneralSecurityException {
    String type = file.endsWith(".jks") ? "JKS" : "PKCS12";
    KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      store.load(in, password);
    }
    return store;
  }

  private static KeyStore pemKeyStore(AtriumConfig.Tls tls, char[] password) throws IOException, GeneralSecurityException {
    if (tls.privateKey().isBlank()) throw new IllegalArgumentException("tls.certificateChain needs tls.privateKey");
    List<Certificate> chain = certificates(tls.certificateChain());
    if (chain.isEmpty()) throw new IllegalArgumentException(tls.certificateChain() + " holds no certificate");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    PrivateKey key = privateKey(tls.privateKey(), chain.get(0));
    requireMatch(key, chain.get(0), tls);
    store.setKeyEntry("atrium", key, password, chain.toArray(Certificate[]::new));
    return store;
  }

  /**
   * The key must be the certificate's: a mismatched pair started, and then failed every handshake. Checked by
   * signing a probe with the key and verifying it with the certificate's public key.
   */
  private static void requireMatch(PrivateKey key, Certificate certificate, AtriumConfig.Tls tls)
      throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (algorithm == null) return; // an algorithm without a probe here: the handshake will tell
    byte[] probe = "atrium".getBytes(StandardCharsets.US_ASCII);
    java.security.Signature signer = java.security.Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new IllegalArgumentException(tls.privateKey() + " is not the private key of the first certificate in "
          + tls.certificateChain());
    }
  }

  private static List<Certificate> certificates(String file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
      return new ArrayList<>(read);
    }
  }

  /** PKCS#8 ("BEGIN PRIVATE KEY"), of the certificate's key algorithm (RSA, EC, Ed25519 …). */
  private static PrivateKey privateKey(String file, Certificate certificate) throws IOException, GeneralSecurityException {
    String pem = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    Matcher block = PEM.matcher(pem);
    while (block.find()) {
      if (!block.group(1).equals("PRIVATE KEY")) continue;
      byte[] der = Base64.getMimeDecoder().decode(block.group(2));
      return KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(der));
    }
    throw new IllegalArgumentException(file + " holds no PKCS#8 'BEGIN PRIVATE KEY' block (convert with "
        + "openssl pkcs8 -topk8 -nocrypt)");
  }
}
