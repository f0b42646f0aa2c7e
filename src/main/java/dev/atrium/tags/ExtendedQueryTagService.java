package dev.atrium.tags;

import dev.atrium.index.ExtendedTag;
import dev.atrium.index.ExtendedTagIndex;
import dev.atrium.index.GroupCommit;
import dev.atrium.index.OperationIndex;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jooq.exception.IntegrityConstraintViolationException;

/**
 * Extended query tags (the Azure DICOM service's API): add tags, which starts a reindex of the
 * instances stored so far; list, get, enable or disable querying, delete; list the instances
 * whose values could not be indexed; follow the reindex operation.
 */
public final class ExtendedQueryTagService {
  private static final Pattern OPERATION_ID = Pattern.compile("[0-9a-f]{32}");

  private final ExtendedTagIndex tags;
  private final OperationIndex operations;
  private final GroupCommit writer;
  private final Reindexer reindexer;

  public ExtendedQueryTagService(ExtendedTagIndex tags, OperationIndex operations, GroupCommit writer,
      Reindexer reindexer) {
    this.tags = tags;
    this.operations = operations;
    this.writer = writer;
    this.reindexer = reindexer;
  }

  /** A tag as the client sent it; any field may be null. */
  public record TagRequest(String path, String vr, String privateCreator, String level) {}

  /** An operation with the paths of the tags it adds. */
  public record OperationView(OperationIndex.Operation operation, List<String> tagPaths) {}

  /**
   * Adds the tags (all or none) and returns the id of the reindex operation that indexes what is
   * already stored. The tags are inserted on the index writer, between store transactions: a
   * store committed before is reindexed, one committed after indexes the tags itself.
   */
  public String add(List<TagRequest> requests) {
    List<ExtendedTagIndex.NewTag> valid = NewTagValidator.validate(requests.stream()
        .map(r -> new NewTagValidator.Request(r.path(), r.vr(), r.privateCreator(), r.level())).toList());
    String operationId = HexFormat.of().formatHex(uuidBytes());
    writer.exclusive(() -> {
      List<ExtendedTag> current = tags.fresh(); // another node may have added some
      List<String> existing = valid.stream().filter(n -> current.stream().anyMatch(t -> t.tag() == n.tag()))
          .map(n -> String.format("%08X", n.tag())).toList();
      if (!existing.isEmpty()) throw alreadyExist(existing);
      if (current.size() + valid.size() > ExtendedTagIndex.MAX_TAGS) {
        throw TagException.invalid("extended query tags exceed the maximum allowed count of "
            + ExtendedTagIndex.MAX_TAGS);
      }
      try {
        tags.add(valid, operationId);
      } catch (IntegrityConstraintViolationException e) { // added by another node since the check
        throw alreadyExist(valid.stream().map(n -> String.format("%08X", n.tag())).toList());
      }
      return null;
    });
    reindexer.wake();
    return operationId;
  }

  private static TagException alreadyExist(List<String> paths) {
    return new TagException(TagException.Kind.CONFLICT, "one or more extended query tags already exist: "
        + String.join(", ", paths));
  }

  public List<ExtendedTag> list(int offset, int limit) {
    return tags.page(offset, limit);
  }

  public ExtendedTag get(String path) {
    int tag = TagPaths.parse(path);
    return tags.current(tag).orElseThrow(() -> new TagException(TagException.Kind.NOT_FOUND,
        "the specified extended query tag with tag path " + path.strip() + " cannot be found"));
  }

  /** QueryStatus Enabled or Disabled; returns the tag as it is then. */
  public ExtendedTag setQueryStatus(String path, String queryStatus) {
    String status = switch (queryStatus == null ? "" : queryStatus.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "enabled" -> ExtendedTag.ENABLED;
      case "disabled" -> ExtendedTag.DISABLED;
      default -> throw TagException.invalid("QueryStatus must be Enabled or Disabled, not '" + queryStatus + "'");
    };
    ExtendedTag tag = get(path);
    writer.exclusive(() -> { // the writer makes the change durable before the caller is answered
      tags.setQueryStatus(tag.key(), status);
      return null;
    });
    return get(path);
  }

  /**
   * Removes the tag and its values. The store stops indexing it first (on the index writer), then
   * its values go in bounded transactions; a crash in between is finished at the next start.
   */
  public void delete(String path) {
    ExtendedTag tag = get(path);
    writer.exclusive(() -> {
      tags.markDeleting(tag.key());
      return null;
    });
    tags.delete(tag);
  }

  public List<ExtendedTagIndex.TagError> errors(String path, int offset, int limit) {
    return tags.errors(get(path).key(), offset, limit);
  }

  public OperationView operation(String id) {
    if (id == null || !OPERATION_ID.matcher(id).matches()) {
      throw TagException.invalid("'" + id + "' is not an operation id (32 lower-case hex digits)");
    }
    OperationIndex.Operation op = operations.find(id).orElseThrow(() -> new TagException(TagException.Kind.NOT_FOUND,
        "no operation " + id));
    return new OperationView(op, operations.tagsOf(id).stream().map(ExtendedTag::path).toList());
  }

  private static byte[] uuidBytes() {
    UUID uuid = UUID.randomUUID();
    return java.nio.ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits()).array();
  }
}
