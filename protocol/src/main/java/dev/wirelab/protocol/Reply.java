package dev.wirelab.protocol;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The server's answer to exactly one {@link Request}, carrying the request's id. {@link Info} is
 * also what the server says first on a new connection (the welcome line, with no id).
 */
public sealed interface Reply extends ChatMessage {

    /** The id of the request this answers; {@link RequestId#NONE} for the welcome line and for seed clients. */
    RequestId id();

    /**
     * A successful reply that is only text: the welcome line, and what a codec makes of a
     * seed-shaped reply whose kind it cannot tell.
     */
    record Info(RequestId id, String text, String data) implements Reply {
        public Info {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(data, "data");
        }
    }

    /** HELLO accepted: the protocol version spoken and the capabilities granted. */
    record Negotiated(RequestId id, int version, Set<Capability> capabilities, String server) implements Reply {
        public Negotiated {
            Objects.requireNonNull(id, "id");
            Checks.positive(version, "version");
            capabilities = Set.copyOf(capabilities);
            Objects.requireNonNull(server, "server");
        }
    }

    /** REGISTER accepted under this name. */
    record Registered(RequestId id, String name) implements Reply {
        public Registered {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(name, "name");
        }
    }

    /** LOGIN accepted under this name. */
    record LoggedIn(RequestId id, String name) implements Reply {
        public LoggedIn {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(name, "name");
        }
    }

    /** A room message was stored under {@code messageId} and sent to the room. */
    record Posted(RequestId id, MessageId messageId, Instant at) implements Reply {
        public Posted {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(at, "at");
        }
    }

    /** A private message was sent to {@code to}. */
    record SentPrivate(RequestId id, MessageId messageId, String to, Instant at) implements Reply {
        public SentPrivate {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(messageId, "messageId");
            Checks.notEmpty(to, "to");
            Objects.requireNonNull(at, "at");
        }
    }

    /** JOIN accepted; {@code members} are who is in the room now, the joiner included. */
    record Joined(RequestId id, String room, List<String> members) implements Reply {
        public Joined {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(room, "room");
            members = List.copyOf(members);
        }
    }

    /** LEAVE accepted. */
    record Left(RequestId id, String room) implements Reply {
        public Left {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(room, "room");
        }
    }

    /** Everyone online, in the order they connected. */
    record Users(RequestId id, List<String> names) implements Reply {
        public Users {
            Objects.requireNonNull(id, "id");
            names = List.copyOf(names);
        }
    }

    /** The rooms that exist now. */
    record Rooms(RequestId id, List<RoomInfo> rooms) implements Reply {
        public Rooms {
            Objects.requireNonNull(id, "id");
            rooms = List.copyOf(rooms);
        }
    }

    /**
     * A page of a room's history, oldest first. {@code complete} says there is nothing further in
     * the direction paged (nothing older for LATEST and BEFORE, nothing newer for AFTER).
     */
    record History(RequestId id, String room, List<StoredMessage> messages, boolean complete) implements Reply {
        public History {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(room, "room");
            messages = List.copyOf(messages);
        }
    }

    /** ECHO's text, unchanged. */
    record Echoed(RequestId id, String text) implements Reply {
        public Echoed {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The server's clock in its own zone, to the second (RFC 3339, as the seed sends it).
     */
    record ServerTime(RequestId id, OffsetDateTime time) implements Reply {
        /** RFC 3339 to the second, {@code Z} for UTC, as Go's {@code time.RFC3339} writes it. */
        private static final DateTimeFormatter RFC_3339 =
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX", Locale.ROOT);

        public ServerTime {
            Objects.requireNonNull(id, "id");
            time = time.truncatedTo(ChronoUnit.SECONDS);
        }

        /** The time as the seed sends it, such as {@code 2026-11-29T14:15:31Z}. */
        public String rfc3339() {
            return time.format(RFC_3339);
        }
    }

    /** PING's token, back. */
    record Pong(RequestId id, String token) implements Reply {
        public Pong {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(token, "token");
        }
    }

    /** QUIT accepted; the server closes the connection after sending this. */
    record Goodbye(RequestId id) implements Reply {
        public Goodbye {
            Objects.requireNonNull(id, "id");
        }
    }

    /** The request was refused, or could not be read. The connection stays open. */
    record Failed(RequestId id, ErrorCode code, String message) implements Reply {
        public Failed {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
