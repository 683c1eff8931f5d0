package dev.wirelab.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * Something the server pushes without being asked. Only clients that negotiated
 * {@link Capability#PUSH} receive events; a seed client never does.
 */
public sealed interface Event extends ChatMessage {

    /** A message posted to a room this client is in (its own posts included, as their echo). */
    record RoomMessage(StoredMessage message) implements Event {
        public RoomMessage {
            Objects.requireNonNull(message, "message");
        }
    }

    /** A private message from {@code from} to {@code to} (sent to both). */
    record PrivateMessage(MessageId id, String from, String to, String text, Instant at) implements Event {
        public PrivateMessage {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(from, "from");
            Checks.notEmpty(to, "to");
            Checks.notEmpty(text, "text");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A user joined, left, quit or dropped out of a room this client is in. */
    record Presence(String room, String user, PresenceChange change, Instant at) implements Event {
        public Presence {
            Checks.notEmpty(room, "room");
            Checks.notEmpty(user, "user");
            Objects.requireNonNull(change, "change");
            Objects.requireNonNull(at, "at");
        }
    }

    /** The server is about to close this connection, and why. */
    record Closing(ErrorCode reason, String text) implements Event {
        public Closing {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(text, "text");
        }
    }
}
