package dev.atrium.index;

/** What the storing transaction did with one instance. */
public sealed interface IndexOutcome {
  /** A new instance row; its change-feed sequence. */
  record Created(long sequence) implements IndexOutcome {}

  /** An existing instance now points at the new blob; the old blob is queued for removal. */
  record Replaced(long sequence, String replacedBlobKey) implements IndexOutcome {}

  /** The SOP Instance UID is already stored; nothing changed. */
  record Duplicate() implements IndexOutcome {}

  /** The instance contradicts what is stored (e.g. its series belongs to another study). */
  record Conflict(String message) implements IndexOutcome {}
}
