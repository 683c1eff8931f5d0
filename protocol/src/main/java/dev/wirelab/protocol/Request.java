package dev.wirelab.protocol;

import java.util.Objects;
import java.util.Set;

/**
 * What a client asks of the server. Every request carries a {@link RequestId} (possibly
 * {@link RequestId#NONE}) and is answered by exactly one {@link Reply} with the same id.
 *
 * <p>The first seven are the seed's commands (REGISTER, MESSAGE, LIST_USERS, LIST_MESSAGES, ECHO,
 * TIME, QUIT); the rest are what the chat grew into. Records check their structure (no nulls, no
 * empty names); configurable limits such as text length are checked by codecs and the server
 * against {@link Limits}.
 */
public sealed interface Request extends ChatMessage {

    /** The id the reply will carry. */
    RequestId id();

    /** The name of the room everyone is in, and where a MESSAGE without a room goes. */
    String DEFAULT_ROOM = "lobby";

    /** Negotiate: the client names itself and the capabilities it wants (HELLO). */
    record Hello(RequestId id, String client, Set<Capability> capabilities) implements Request {
        public Hello {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(client, "client");
            capabilities = Set.copyOf(capabilities);
        }
    }

    /** Take a name (REGISTER), optionally protected by a password. */
    record Register(RequestId id, String name, Password password) implements Request {
        public Register {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(name, "name");
            Objects.requireNonNull(password, "password");
        }
    }

    /** Take a name registered earlier with a password (LOGIN). The password is required. */
    record Login(RequestId id, String name, Password password) implements Request {
        public Login {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(name, "name");
            Objects.requireNonNull(password, "password");
            if (!password.isPresent()) {
                throw new IllegalArgumentException("LOGIN requires a password");
            }
        }
    }

    /** Post a message to a room (the seed's MESSAGE; without a room it goes to {@link #DEFAULT_ROOM}). */
    record Post(RequestId id, String room, String text) implements Request {
        public Post {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(room, "room");
            Checks.notEmpty(text, "text");
        }
    }

    /** Send a private message to one user (MESSAGE with {@code to}). */
    record PostPrivate(RequestId id, String to, String text) implements Request {
        public PostPrivate {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(to, "to");
            Checks.notEmpty(text, "text");
        }
    }

    /** Join a room (JOIN). */
    record Join(RequestId id, String room) implements Request {
        public Join {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(room, "room");
        }
    }

    /** Leave a room (LEAVE). */
    record Leave(RequestId id, String room) implements Request {
        public Leave {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(room, "room");
        }
    }

    /** List everyone online (LIST_USERS). */
    record ListUsers(RequestId id) implements Request {
        public ListUsers {
            Objects.requireNonNull(id, "id");
        }
    }

    /** List the rooms and how many are in each (LIST_ROOMS). */
    record ListRooms(RequestId id) implements Request {
        public ListRooms {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * Read a room's history (LIST_MESSAGES): at most {@code limit} messages before or after a
     * cursor, or the latest ones. The server caps {@code limit} at its configured page maximum.
     */
    record ListMessages(RequestId id, String room, HistoryCursor cursor, int limit) implements Request {
        public ListMessages {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(room, "room");
            Objects.requireNonNull(cursor, "cursor");
            Checks.positive(limit, "limit");
        }
    }

    /** Ask the server to send the text back (ECHO). */
    record Echo(RequestId id, String text) implements Request {
        public Echo {
            Objects.requireNonNull(id, "id");
            Checks.notEmpty(text, "text");
        }
    }

    /** Ask the server's clock (TIME). */
    record Time(RequestId id) implements Request {
        public Time {
            Objects.requireNonNull(id, "id");
        }
    }

    /** Check the connection is alive; the reply is a {@link Reply.Pong} with the same token (PING). */
    record Ping(RequestId id, String token) implements Request {
        public Ping {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(token, "token");
        }
    }

    /** Say goodbye; the server answers and closes the connection (QUIT). */
    record Quit(RequestId id) implements Request {
        public Quit {
            Objects.requireNonNull(id, "id");
        }
    }
}
