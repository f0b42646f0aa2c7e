package dev.atrium.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads conf/atrium.yaml (or the file named by ATRIUM_CONFIG, or the packaged default) and applies
 * ATRIUM_* environment overrides: each leaf key path maps to ATRIUM_ + UPPER_SNAKE(path).
 */
public final class ConfigLoader {
  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
  private static final YAMLMapper YAML = new YAMLMapper();

  private ConfigLoader() {}

  public static AtriumConfig load(Map<String, String> env) throws IOException {
    ObjectNode tree = readBaseTree(env);
    for (String unknown : UnknownSettings.find(packagedDefault(), tree, env)) log.warn("configuration: {}", unknown);
    applyOverrides(tree, "", env);
    return AtriumConfig.from(tree, env.get("ATRIUM_MOVE_DESTINATIONS"));
  }

  private static ObjectNode readBaseTree(Map<String, String> env) throws IOException {
    String explicit = env.get("ATRIUM_CONFIG");
    Path file = Path.of(explicit != null ? explicit : "conf/atrium.yaml");
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        JsonNode tree = YAML.readTree(in);
        if (tree instanceof ObjectNode settings) return settings;
        throw new IOException(file + " holds no settings (a YAML mapping of keys is expected)");
      } catch (JsonProcessingException e) {
        // One line naming the file and the place, not the YAML parser's multi-line report.
        JsonLocation at = e.getLocation();
        throw new IOException(file + " is not valid YAML" + (at == null ? "" : " at line " + at.getLineNr()
            + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
      }
    }
    if (explicit != null) {
      throw new IOException("ATRIUM_CONFIG names " + file + ", which is not a readable file");
    }
    return packagedDefault();
  }

  /** The configuration file packaged with Atrium: every setting, with its default. */
  private static ObjectNode packagedDefault() throws IOException {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/atrium.yaml")) {
      if (in == null) throw new IOException("no conf/atrium.yaml and no packaged default");
      return (ObjectNode) YAML.readTree(in);
    }
  }

  private static void applyOverrides(ObjectNode node, String prefix, Map<String, String> env) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      if (field.getValue() instanceof ObjectNode child && !path.equals("moveDestinations")
          && !path.equals("dimse.remoteAes")) {
        applyOverrides(child, path, env);
      } else {
        String value = env.get(envName(path));
        if (value != null && !path.equals("moveDestinations")) field.setValue(TextNode.valueOf(value));
      }
    }
  }

  /** http.port -> ATRIUM_HTTP_PORT; dimse.maxPduLength -> ATRIUM_DIMSE_MAX_PDU_LENGTH. */
  static String envName(String path) {
    StringBuilder name = new StringBuilder("ATRIUM_");
    for (char c : path.toCharArray()) {
      if (c == '.') name.append('_');
      else if (Character.isUpperCase(c)) name.append('_').append(c);
      else name.append(Character.toUpperCase(c));
    }
    return name.toString();
  }
}
