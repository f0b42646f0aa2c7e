import java.io.*;
import java.nio.file.*;
import java.util.jar.*;
import java.util.zip.*;

/**
 * Copies a jar without the Class-Path attribute of its manifest. Debian's pixelmed.jar names
 * /usr/share/java/slf4j-jdk14.jar there, which would bind SLF4J to java.util.logging and loop
 * with the JUL-to-SLF4J bridge Atrium uses to route PixelMed's logging into logback.
 * Usage: java scripts/StripClassPath.java IN.jar OUT.jar
 */
public class StripClassPath {
  public static void main(String[] args) throws IOException {
    try (JarInputStream in = new JarInputStream(Files.newInputStream(Path.of(args[0])))) {
      Manifest manifest = in.getManifest() == null ? new Manifest() : in.getManifest();
      manifest.getMainAttributes().remove(Attributes.Name.CLASS_PATH);
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(Path.of(args[1])), manifest)) {
        for (JarEntry entry; (entry = in.getNextJarEntry()) != null; ) {
          out.putNextEntry(new JarEntry(entry.getName()));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
  }
}
