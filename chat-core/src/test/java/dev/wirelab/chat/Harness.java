package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Drives a {@link ChatState} by hand: a clock that only moves when told, request factories that
 * number their ids ({@code r1}, {@code r2}, ...), and an inbox per session recording every
 * {@link Outbound.Send} and every {@link Outbound.Close}, so tests read as a conversation.
 *
 * <p>{@link #ask} checks the central promise on every call: the request is answered by exactly
 * one {@link Reply}, to the asker, carrying the request's id, and nobody else gets a reply.
 */
final class Harness {

    static final Instant START = Instant.parse("2026-11-29T14:15:29Z");

    final ChatConfig config;
    final ChatState state;
    Instant now = START;

    private final Map<SessionId, List<ChatMessage>> inbox = new LinkedHashMap<>();
    private final List<Outbound.Close> closes = new ArrayList<>();
    private int lastRequest;

    Harness() {
        this(config());
    }

    Harness(ChatConfig config) {
        this.config = config;
        this.state = new ChatState(config, new Accounts(1_000, new Random(7)));
    }

    /** The configuration every test starts from: defaults, UTC, cheap password hashing. */
    static ChatConfig config() {
        return ChatConfig.defaults().withZone(ZoneOffset.UTC).withPasswordIterations(1_000);
    }

    // ---------------------------------------------------------------- driving

    SessionId connect() {
        ChatState.Connected connected = state.connect(now);
        inbox.put(connected.session(), new ArrayList<>());
        record(connected.effects());
        return connected.session();
    }

    /** A seed client: never says HELLO, registers under {@code name}. */
    SessionId seedUser(String name) {
        SessionId session = connect();
        assertThat(ask(session, register(name))).isInstanceOf(Reply.Registered.class);
        return session;
    }

    /** A wirelab client: HELLO with every capability (PUSH included), then registers. */
    SessionId pushUser(String name) {
        SessionId session = connect();
        assertThat(ask(session, hello(Capability.values()))).isInstanceOf(Reply.Negotiated.class);
        assertThat(ask(session, register(name))).isInstanceOf(Reply.Registered.class);
        return session;
    }

    /** Applies one request and records what it caused; no checks. */
    List<Outbound> apply(SessionId session, Request request) {
        List<Outbound> effects = state.apply(session, request, now);
        record(effects);
        return effects;
    }

    /**
     * Applies one request, checks that it drew exactly one reply, to {@code session}, with the
     * request's id, and no reply to anyone else, and returns that reply.
     */
    Reply ask(SessionId session, Request request) {
        List<Outbound> effects = apply(session, request);
        List<Reply> mine = new ArrayList<>();
        for (Outbound effect : effects) {
            if (effect instanceof Outbound.Send send && send.message() instanceof Reply reply) {
                assertThat(send.to()).as("a reply to %s went to another session", request).isEqualTo(session);
                mine.add(reply);
            }
        }
        assertThat(mine).as("replies to %s", request).hasSize(1);
        assertThat(mine.get(0).id()).as("id of the reply to %s", request).isEqualTo(request.id());
        return mine.get(0);
    }

    /** Asks and expects a reply of {@code type}. */
    <R extends Reply> R ask(SessionId session, Request request, Class<R> type) {
        Reply reply = ask(session, request);
        assertThat(reply).as("reply to %s", request).isInstanceOf(type);
        return type.cast(reply);
    }

    /** Records effects produced outside {@link #apply} (disconnect, expire, reject). */
    List<Outbound> record(List<Outbound> effects) {
        for (Outbound effect : effects) {
            switch (effect) {
                case Outbound.Send send -> inbox.computeIfAbsent(send.to(), key -> new ArrayList<>()).add(send.message());
                case Outbound.Close close -> closes.add(close);
            }
        }
        return effects;
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }

    // ---------------------------------------------------------------- what happened

    /** Everything sent to {@code session} since it connected or since {@link #clear()}. */
    List<ChatMessage> received(SessionId session) {
        return List.copyOf(inbox.getOrDefault(session, List.of()));
    }

    /** The events among {@link #received}. */
    List<Event> events(SessionId session) {
        return received(session).stream().filter(Event.class::isInstance).map(Event.class::cast).toList();
    }

    /** The room messages among {@link #events}. */
    List<MessageId> roomMessageIds(SessionId session) {
        return events(session).stream()
                .filter(Event.RoomMessage.class::isInstance)
                .map(event -> ((Event.RoomMessage) event).message().id())
                .toList();
    }

    List<Outbound.Close> closes() {
        return List.copyOf(closes);
    }

    /** Forgets what was received and closed so far. */
    void clear() {
        inbox.values().forEach(List::clear);
        closes.clear();
    }

    // ---------------------------------------------------------------- requests, each with a fresh id

    RequestId nextId() {
        return RequestId.of("r" + ++lastRequest);
    }

    Request.Hello hello(Capability... capabilities) {
        return new Request.Hello(nextId(), "harness/1",
                capabilities.length == 0 ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(List.of(capabilities)));
    }

    Request.Register register(String name) {
        return new Request.Register(nextId(), name, Password.NONE);
    }

    Request.Register register(String name, String password) {
        return new Request.Register(nextId(), name, Password.of(password));
    }

    Request.Login login(String name, String password) {
        return new Request.Login(nextId(), name, Password.of(password));
    }

    /** MESSAGE to the lobby. */
    Request.Post post(String text) {
        return postTo(Request.DEFAULT_ROOM, text);
    }

    Request.Post postTo(String room, String text) {
        return new Request.Post(nextId(), room, text);
    }

    Request.PostPrivate privately(String to, String text) {
        return new Request.PostPrivate(nextId(), to, text);
    }

    Request.Join join(String room) {
        return new Request.Join(nextId(), room);
    }

    Request.Leave leave(String room) {
        return new Request.Leave(nextId(), room);
    }

    Request.ListUsers listUsers() {
        return new Request.ListUsers(nextId());
    }

    Request.ListRooms listRooms() {
        return new Request.ListRooms(nextId());
    }

    Request.ListMessages latest(String room, int limit) {
        return new Request.ListMessages(nextId(), room, HistoryCursor.LATEST, limit);
    }

    Request.ListMessages before(String room, MessageId id, int limit) {
        return new Request.ListMessages(nextId(), room, HistoryCursor.before(id), limit);
    }

    Request.ListMessages after(String room, MessageId id, int limit) {
        return new Request.ListMessages(nextId(), room, HistoryCursor.after(id), limit);
    }

    Request.Echo echo(String text) {
        return new Request.Echo(nextId(), text);
    }

    Request.Time time() {
        return new Request.Time(nextId());
    }

    Request.Ping ping(String token) {
        return new Request.Ping(nextId(), token);
    }

    Request.Quit quit() {
        return new Request.Quit(nextId());
    }
}
