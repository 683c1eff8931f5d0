package dev.wirelab.testkit;

import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.RoomInfo;
import dev.wirelab.protocol.StoredMessage;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * At least one sample of every message record, with the awkward values a codec must carry
 * unchanged: non-ASCII text, an emoji outside the BMP, quotes and backslashes, escaped newlines,
 * empty collections, nanosecond timestamps. Every codec must round-trip every one of them
 * ({@link CodecContract}); {@link #recordTypes()} tells which types exist, so a message type added
 * without a sample fails the contract.
 */
public final class SampleMessages {

    public static final RequestId ID = RequestId.of("r-42");
    public static final Instant AT = Instant.parse("2026-11-29T14:15:29.123456789Z");
    public static final String AWKWARD = "héllo \"wörld\" \\ tab\t newline\n 🎉 end";

    private SampleMessages() {
    }

    /** Every sample, requests then replies then events. */
    public static List<ChatMessage> all() {
        List<ChatMessage> all = new ArrayList<>();
        all.addAll(requests());
        all.addAll(replies());
        all.addAll(events());
        return List.copyOf(all);
    }

    public static List<Request> requests() {
        return List.of(
                new Request.Hello(ID, "wirelab-test/1", EnumSet.allOf(Capability.class)),
                new Request.Hello(RequestId.of("h"), "", Set.of()),
                new Request.Register(RequestId.NONE, "Alice", Password.NONE),
                new Request.Register(ID, "Bob", Password.of("correct horse battery staple")),
                new Request.Login(ID, "Bob", Password.of("pässwörd🔑")),
                new Request.Post(RequestId.NONE, Request.DEFAULT_ROOM, "Hello everyone!"),
                new Request.Post(ID, "golang", AWKWARD),
                new Request.PostPrivate(ID, "Bob", "psst"),
                new Request.Join(ID, "golang"),
                new Request.Leave(ID, "golang"),
                new Request.ListUsers(RequestId.NONE),
                new Request.ListUsers(ID),
                new Request.ListRooms(ID),
                new Request.ListMessages(RequestId.NONE, Request.DEFAULT_ROOM, HistoryCursor.LATEST, 20),
                new Request.ListMessages(ID, "golang", HistoryCursor.before(MessageId.of(1000)), 50),
                new Request.ListMessages(ID, "golang", HistoryCursor.after(MessageId.of(7)), 1),
                new Request.Echo(RequestId.NONE, "Hello, Server!"),
                new Request.Echo(ID, AWKWARD),
                new Request.Time(RequestId.NONE),
                new Request.Ping(ID, "1732889729123"),
                new Request.Ping(ID, ""),
                new Request.Quit(RequestId.NONE),
                new Request.Quit(ID));
    }

    /** Replies all carry an id: a reply without one is written in the seed's shape, which has no kind. */
    public static List<Reply> replies() {
        return List.of(
                new Reply.Info(ID, "Welcome to TCP/IP Educational Server!", ""),
                new Reply.Info(ID, "note", AWKWARD),
                new Reply.Negotiated(ID, 1, EnumSet.of(Capability.PUSH, Capability.ROOMS), "wirelab/0.1"),
                new Reply.Negotiated(ID, 2, Set.of(), ""),
                new Reply.Registered(ID, "Alice"),
                new Reply.LoggedIn(ID, "Bob"),
                new Reply.Posted(ID, MessageId.of(12), AT),
                new Reply.SentPrivate(ID, MessageId.of(13), "Bob", AT),
                new Reply.Joined(ID, "golang", List.of("Alice", "Bob")),
                new Reply.Left(ID, "golang"),
                new Reply.Users(ID, List.of("Alice", "Bob")),
                new Reply.Users(ID, List.of()),
                new Reply.Rooms(ID, List.of(new RoomInfo("lobby", 2), new RoomInfo("golang", 0))),
                new Reply.History(ID, "lobby", List.of(stored(1), stored(2)), true),
                new Reply.History(ID, "lobby", List.of(), false),
                new Reply.Echoed(ID, AWKWARD),
                new Reply.ServerTime(ID, OffsetDateTime.of(2026, 11, 29, 14, 15, 31, 0, ZoneOffset.UTC)),
                new Reply.ServerTime(ID, OffsetDateTime.of(2026, 11, 29, 15, 15, 31, 0, ZoneOffset.ofHours(1))),
                new Reply.Pong(ID, "1732889729123"),
                new Reply.Goodbye(ID),
                new Reply.Failed(ID, ErrorCode.UNKNOWN_COMMAND, "Validation error: unknown command: FOO"),
                new Reply.Failed(ID, ErrorCode.NAME_TAKEN, "Name already taken: Alice"));
    }

    public static List<Event> events() {
        return List.of(
                new Event.RoomMessage(stored(3)),
                new Event.PrivateMessage(MessageId.of(14), "Alice", "Bob", AWKWARD, AT),
                new Event.Presence("lobby", "Bob", PresenceChange.JOINED, AT),
                new Event.Presence("golang", "Bob", PresenceChange.DISCONNECTED, AT),
                new Event.Closing(ErrorCode.SERVER_SHUTTING_DOWN, "Server is shutting down"));
    }

    /** A stored room message with id {@code n}. */
    public static StoredMessage stored(long n) {
        return new StoredMessage(MessageId.of(n), "lobby", n % 2 == 0 ? "Bob" : "Alice",
                n == 3 ? AWKWARD : "message " + n, AT.plusSeconds(n));
    }

    /**
     * Every concrete record type of the message hierarchy, found by walking
     * {@code ChatMessage.class.getPermittedSubclasses()}, so it cannot fall out of date.
     */
    public static Set<Class<?>> recordTypes() {
        Set<Class<?>> types = new LinkedHashSet<>();
        collect(ChatMessage.class, types);
        return types;
    }

    private static void collect(Class<?> type, Set<Class<?>> into) {
        if (type.isRecord()) {
            into.add(type);
        }
        Class<?>[] permitted = type.getPermittedSubclasses();
        if (permitted != null) {
            for (Class<?> sub : permitted) {
                collect(sub, into);
            }
        }
    }
}
