package dev.wirelab.protocol;

import java.time.Instant;
import java.util.Objects;

/**
 * A room message as the server stored it, for history pages.
 *
 * @param id   the server's id for it
 * @param room the room it was posted to
 * @param from the registered name of its sender ({@code anonymous} never appears: posting needs a name)
 * @param text what was said
 * @param at   when the server accepted it
 */
public record StoredMessage(MessageId id, String room, String from, String text, Instant at) {
    public StoredMessage {
        Objects.requireNonNull(id, "id");
        Checks.notEmpty(room, "room");
        Checks.notEmpty(from, "from");
        Checks.notEmpty(text, "text");
        Objects.requireNonNull(at, "at");
    }
}
