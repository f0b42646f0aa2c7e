package dev.atrium.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A throwaway certificate authority made with openssl: PEM certificates and PKCS#8 keys in a directory. */
public final class TestPki implements AutoCloseable {
  public final Path dir;

  public TestPki() throws IOException, InterruptedException {
    dir = Files.createTempDirectory("atrium-pki");
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
        "-subj", "/CN=Atrium Test CA");
  }

  public Path ca() {
    return dir.resolve("ca.pem");
  }

  public Path certificate(String name) {
    return dir.resolve(name + ".pem");
  }

  public Path key(String name) {
    return dir.resolve(name + ".key");
  }

  /** A server certificate for localhost and 127.0.0.1. */
  public void issueServer(String name) throws IOException, InterruptedException {
    issue(name, "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  }

  /** A client certificate whose subject CN is {@code commonName}. */
  public void issueClient(String name, String commonName) throws IOException, InterruptedException {
    issue(name, "/CN=" + commonName, "extendedKeyUsage=clientAuth\n");
  }

  private void issue(String name, String subject, String extensions) throws IOException, InterruptedException {
    Files.writeString(dir.resolve(name + ".ext"), extensions);
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
        name + ".pem", "-days", "1", "-extfile", name + ".ext");
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) throw new IOException("openssl " + String.join(" ", args) + ": " + output);
  }

  @Override
  public void close() throws IOException {
    TempFiles.delete(dir);
  }
}
