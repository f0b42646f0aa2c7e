package dev.atrium.support;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** dcmtk's findscu against the archive: each match as tag → value, and the DIMSE statuses. */
public final class FindScu {
  private static final Pattern STATUS = Pattern.compile("DIMSE Status +: 0x([0-9a-f]{4})");
  private static final Pattern ERROR_COMMENT = Pattern.compile("\\(0000,0902\\) LO \\[([^\\]]*)\\]");

  private FindScu() {}

  /** What came back; {@code errorComment} is the final response's Error Comment, if any. */
  public record Result(String output, List<Map<Integer, String>> matches, List<Integer> statuses,
      String errorComment) {}

  /** Runs findscu with the options (e.g. "-S", "-k", "QueryRetrieveLevel=IMAGE", …). */
  public static Result run(TestArchive archive, Path scratch, String... options) throws Exception {
    return run(archive, scratch, List.of(options), List.of());
  }

  /** With query files (identifiers as DICOM files), which findscu wants after the peer's address. */
  public static Result run(TestArchive archive, Path scratch, List<String> options, List<Path> queryFiles)
      throws Exception {
    Path out = Files.createTempDirectory(scratch, "findscu");
    List<String> command = new ArrayList<>(List.of("findscu", "-d", "-X", "-od", out.toString(), "-aec",
        archive.aeTitle()));
    command.addAll(options);
    command.add("127.0.0.1");
    command.add(String.valueOf(archive.dimsePort()));
    queryFiles.forEach(file -> command.add(file.toString()));
    Dcmtk.Result result = Dcmtk.run(60, command);
    if (result.exitCode() != 0) throw new AssertionError("findscu failed: " + result.output());
    List<Map<Integer, String>> matches = new ArrayList<>();
    for (Path file : Files.list(out).sorted().toList()) {
      AttributeList list = new AttributeList();
      list.read(file.toFile());
      Map<Integer, String> values = new TreeMap<>();
      for (Attribute a : list.values()) {
        int tag = a.getTag().getGroup() << 16 | a.getTag().getElement();
        if (tag >>> 16 != 0x0002) values.put(tag, a.getDelimitedStringValuesOrEmptyString());
      }
      matches.add(values);
    }
    List<Integer> statuses = new ArrayList<>();
    for (Matcher m = STATUS.matcher(result.output()); m.find(); ) statuses.add(Integer.parseInt(m.group(1), 16));
    Matcher comment = ERROR_COMMENT.matcher(result.output());
    return new Result(result.output(), matches, statuses, comment.find() ? comment.group(1).strip() : null);
  }
}
