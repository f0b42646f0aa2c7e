package dev.atrium.tags;

/** A refused extended query tag request: what kind of refusal, and a message naming what was wrong. */
public final class TagException extends RuntimeException {
  public enum Kind { INVALID, NOT_FOUND, CONFLICT }

  private final Kind kind;

  public TagException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  static TagException invalid(String message) {
    return new TagException(Kind.INVALID, message);
  }
}
