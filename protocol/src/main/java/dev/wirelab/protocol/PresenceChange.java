package dev.wirelab.protocol;

/** What happened to a user's presence in a room, as told by {@link Event.Presence}. */
public enum PresenceChange {
    /** The user joined the room (or registered, for the default room). */
    JOINED,
    /** The user left the room with LEAVE. */
    LEFT,
    /** The user said QUIT. */
    QUIT,
    /** The connection ended without QUIT: an error, a timeout, or a client too slow to keep up. */
    DISCONNECTED
}
