package dev.wirelab.protocol;

/**
 * Anything that travels between a chat client and server: a {@link Request}, a {@link Reply} or
 * an {@link Event}. Every implementation is an immutable record that validates itself.
 */
public sealed interface ChatMessage permits Request, Reply, Event {
}
