package dev.atrium.tags;

import dev.atrium.dicom.DataDictionary;
import dev.atrium.index.ExtendedTagIndex;
import dev.atrium.query.QueryAttributes;
import dev.atrium.query.QueryLevel;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks tags to add as the Azure DICOM service does: a top-level data element, standard (its VR
 * from the dictionary, or given and equal to it) or private (VR and private creator given), of
 * a supported VR, not already a standard query attribute, at the Study, Series or Instance level.
 */
final class NewTagValidator {
  private NewTagValidator() {}

  /** A tag to add as the client sent it; any field may be null. */
  record Request(String path, String vr, String privateCreator, String level) {}

  static List<ExtendedTagIndex.NewTag> validate(List<Request> requests) {
    if (requests.isEmpty()) throw TagException.invalid("no extended query tag given: send a JSON array of "
        + "{\"path\", \"vr\", \"level\", \"privateCreator\"}");
    Set<Integer> seen = new HashSet<>();
    return requests.stream().map(r -> {
      ExtendedTagIndex.NewTag tag = validate(r);
      if (!seen.add(tag.tag())) throw TagException.invalid("the extended query tag '" + r.path()
          + "' is given more than once");
      return tag;
    }).toList();
  }

  private static ExtendedTagIndex.NewTag validate(Request r) {
    int tag = TagPaths.parse(r.path());
    String name = r.path().strip();
    QueryLevel level = level(name, r.level());
    int group = tag >>> 16;
    int element = tag & 0xFFFF;
    if (group == 0x0000 || group == 0x0002 || group == 0xFFFE || element == 0x0000) {
      throw TagException.invalid("'" + name + "' is not an attribute of a data set (command, file meta information, "
          + "item delimitation or group length)");
    }
    String vr = r.vr() == null || r.vr().isBlank() ? null : r.vr().strip().toUpperCase(Locale.ROOT);
    if (TagPaths.isPrivate(tag)) return privateTag(name, tag, vr, r.privateCreator(), level);
    if (r.privateCreator() != null && !r.privateCreator().isBlank()) {
      throw TagException.invalid("the private creator is not empty for standard tag '" + name + "'");
    }
    if (QueryAttributes.byTag(tag).isPresent()) {
      throw TagException.invalid("the query tag '" + name + "' is already supported (a standard QIDO-RS and C-FIND "
          + "attribute)");
    }
    Optional<DataDictionary.Element> entry = DataDictionary.byTag(tag);
    if (entry.isEmpty()) {
      throw TagException.invalid("'" + name + "' is not in the DICOM dictionary (PS3.6); private tags have an odd group");
    }
    String dictionaryVr = entry.get().vr();
    if (dictionaryVr.equals("SQ")) {
      throw TagException.invalid("'" + name + "' is a sequence (VR SQ); sequences cannot be extended query tags");
    }
    if (vr == null) {
      if (dictionaryVr.equals("XS")) {
        throw TagException.invalid("the dictionary gives '" + name + "' the VR US or SS; say which with \"vr\"");
      }
      vr = dictionaryVr;
    } else if (!(vr.equals(dictionaryVr) || (dictionaryVr.equals("XS") && (vr.equals("US") || vr.equals("SS"))))) {
      throw TagException.invalid("the VR code '" + vr + "' is incorrectly specified for '" + name + "'. The expected "
          + "VR code for it is '" + dictionaryVr + "'. Retry this request either with the correct VR code or without "
          + "specifying it.");
    }
    return new ExtendedTagIndex.NewTag(tag, supported(name, vr), null, level);
  }

  private static ExtendedTagIndex.NewTag privateTag(String name, int tag, String vr, String creator,
      QueryLevel level) {
    int group = tag >>> 16;
    int element = tag & 0xFFFF;
    if (group <= 0x0007 || group == 0xFFFF) {
      throw TagException.invalid("'" + name + "': group " + String.format("%04X", group) + " cannot hold private "
          + "attributes (PS3.5 7.8.1)");
    }
    if (element < 0x1000) {
      throw TagException.invalid("'" + name + "' is a private creator element or reserved; an extended query tag is a "
          + "private data element (gggg,xx00-xxFF with xx ≥ 10)");
    }
    if (creator == null || creator.isBlank()) {
      throw TagException.invalid("the private creator for private tag '" + name + "' is missing");
    }
    String c = creator.strip();
    if (c.length() > 64 || c.chars().anyMatch(ch -> ch == '\\' || ch < 0x20)) {
      throw TagException.invalid("the private creator for tag '" + name + "' is not a valid LO value (at most 64 "
          + "characters, no backslash or control characters)");
    }
    if (vr == null) throw TagException.invalid("the VR for private tag '" + name + "' is missing");
    return new ExtendedTagIndex.NewTag(tag, supported(name, vr), c, level);
  }

  private static String supported(String name, String vr) {
    if (!VrValues.SUPPORTED.contains(vr)) {
      throw TagException.invalid("the VR code '" + vr + "' specified for tag '" + name + "' is not supported; "
          + "supported: " + String.join(", ", VrValues.SUPPORTED.stream().sorted().toList()));
    }
    return vr;
  }

  private static QueryLevel level(String name, String level) {
    if (level == null || level.isBlank()) {
      throw TagException.invalid("the level for extended query tag '" + name + "' is missing");
    }
    return switch (level.strip().toLowerCase(Locale.ROOT)) {
      case "study" -> QueryLevel.STUDY;
      case "series" -> QueryLevel.SERIES;
      case "instance" -> QueryLevel.INSTANCE;
      default -> throw TagException.invalid("input Dicom Tag Level '" + level + "' is invalid. It must have value "
          + "'Study', 'Series' or 'Instance'.");
    };
  }
}
