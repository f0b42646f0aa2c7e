package dev.atrium.dimse.net;

/** A presentation context the peer accepted: its id, SOP class and the one transfer syntax of its messages. */
public record AcceptedContext(int id, String abstractSyntax, String transferSyntax) {}
