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
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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
     * How many record types {@link ChatMessage} had when this was last counted (14 requests, 16
     * replies, 4 events). The walk must find at least this many; finding fewer means it lost some.
     * Raise it when a message type is added.
     */
    public static final int KNOWN_RECORD_TYPES = 34;

    /**
     * Every concrete record type of the message hierarchy, found by walking
     * {@code ChatMessage.class.getPermittedSubclasses()}, so it cannot fall out of date.
     *
     * @throws AssertionError if the hierarchy is not sealed, or a leaf of it is not a record (such a
     *                        type would escape the walk and need no sample)
     */
    public static Set<Class<?>> recordTypes() {
        return recordTypes(ChatMessage.class);
    }

    /**
     * Fails, naming every message type that has none, unless each record type of the
     * {@link ChatMessage} hierarchy has a sample among {@code samples}, the walk finds at least
     * {@link #KNOWN_RECORD_TYPES} of them, and the hierarchy is sealed with records at every leaf.
     */
    static void assertEveryTypeSampled(Collection<?> samples) {
        assertEveryTypeSampled(ChatMessage.class, KNOWN_RECORD_TYPES, samples);
    }

    /** {@link #assertEveryTypeSampled(Collection)} for any sealed {@code root}; separate so the check can be tested. */
    static void assertEveryTypeSampled(Class<?> root, int knownRecordTypes, Collection<?> samples) {
        Set<Class<?>> types = recordTypes(root);
        if (types.size() < knownRecordTypes) {
            throw new AssertionError("walking " + root.getName() + " found " + types.size() + " record types, "
                    + "fewer than the " + knownRecordTypes + " known: " + names(types));
        }
        Set<Class<?>> sampled = new HashSet<>();
        for (Object sample : samples) {
            sampled.add(sample.getClass());
        }
        Set<Class<?>> missing = new LinkedHashSet<>(types);
        missing.removeAll(sampled);
        if (!missing.isEmpty()) {
            throw new AssertionError("no round-trip sample in SampleMessages for " + names(missing));
        }
    }

    static Set<Class<?>> recordTypes(Class<?> root) {
        if (!root.isSealed()) {
            throw new AssertionError(root.getName() + " is not sealed, so its message types cannot be listed");
        }
        Set<Class<?>> types = new LinkedHashSet<>();
        collect(root, types);
        return types;
    }

    private static void collect(Class<?> type, Set<Class<?>> into) {
        if (type.isSealed()) {
            for (Class<?> sub : type.getPermittedSubclasses()) {
                collect(sub, into);
            }
        } else if (type.isRecord()) {
            into.add(type);
        } else {
            throw new AssertionError(type.getName() + " is a leaf of the sealed message hierarchy but not a record;"
                    + " make it a record, or sealed with records below it, so the coverage check sees its types");
        }
    }

    private static String names(Set<Class<?>> types) {
        return types.stream().map(Class::getName).collect(Collectors.joining(", "));
    }
}
