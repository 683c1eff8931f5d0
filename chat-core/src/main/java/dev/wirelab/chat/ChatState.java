package dev.wirelab.chat;

import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.RoomInfo;
import dev.wirelab.protocol.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * The whole chat as a pure state machine: {@code apply(session, request, now)} returns what to
 * send and whom to close, and never touches a socket, a clock or a thread. One caller at a time
 * (the server shell holds a lock), so it needs no synchronisation of its own.
 *
 * <p>Seed compatibility lives here: a session that never negotiated {@link Capability#PUSH} gets
 * exactly one reply per request and nothing unsolicited. Where the seed is wrong, this is right:
 * posting before REGISTER is refused, names are unique and validated.
 */
final class ChatState {

    static final int PROTOCOL_VERSION = 1;

    /**
     * Failed LOGINs one connection may make before it is closed (ergo allows 3 a minute). A guesser
     * who reconnects meets the per-name throttle ({@link FailedLogins}) instead.
     */
    static final int MAX_FAILED_LOGINS = 3;

    /**
     * Private messages kept per pair of users, oldest dropped first: the reference's 256 per DM
     * pair (limits-and-bad-input §4; ergo keeps 256 too).
     */
    static final int HISTORY_PER_PAIR = 256;

    /**
     * Pairs of users whose private messages are kept, so memory stays bounded however many pairs
     * talk: past it, the pair whose latest message is oldest is forgotten.
     */
    static final int MAX_PAIRS = 4096;

    /** What {@code LIST_MESSAGES} takes, in its room field, to mean "my conversation with NAME". */
    static final String PRIVATE_PREFIX = "@";

    private final ChatConfig config;
    private final Accounts accounts;
    /** How many bytes a message takes as a frame in the server's codec; pages and posts must fit one. */
    private final ToIntFunction<ChatMessage> frameSize;
    private final Map<SessionId, Session> sessions = new LinkedHashMap<>();
    private final Map<String, SessionId> sessionsByName = new HashMap<>();
    private final Map<String, Room> rooms = new LinkedHashMap<>();
    /** Private messages per pair, in the order of each pair's latest message (the first is evicted first). */
    private final Map<Pair, MessageLog> conversations = new LinkedHashMap<>();
    private final FailedLogins failedLogins = new FailedLogins();
    private long lastSessionId;
    private long lastMessageId;

    /** A state that does not check frame sizes (every message fits). */
    ChatState(ChatConfig config, Accounts accounts) {
        this(config, accounts, message -> 0);
    }

    ChatState(ChatConfig config, Accounts accounts, ToIntFunction<ChatMessage> frameSize) {
        this.config = config;
        this.accounts = accounts;
        this.frameSize = frameSize;
        rooms.put(Names.fold(Request.DEFAULT_ROOM), new Room(Request.DEFAULT_ROOM));
    }

    /** A new connection: its session and the welcome line. */
    Connected connect(Instant now) {
        SessionId id = new SessionId(++lastSessionId);
        sessions.put(id, new Session(id, now, config.rateLimit()));
        return new Connected(id, List.of(new Outbound.Send(id, new Reply.Info(RequestId.NONE, config.welcome(), ""))));
    }

    record Connected(SessionId session, List<Outbound> effects) {
    }

    /**
     * Answers one request. REGISTER with a password and LOGIN hash here, under the caller's lock;
     * the server shell hashes outside it instead ({@link #register(SessionId, Request.Register,
     * Accounts.Account, Instant)}, {@link #login(SessionId, Request.Login, boolean, Instant)}). A
     * LOGIN for a name that {@link #refusesLoginsFor refuses logins} is not hashed at all.
     */
    List<Outbound> apply(SessionId sessionId, Request request, Instant now) {
        return switch (request) {
            case Request.Register register when register.password().isPresent() && accounts.acceptable(register.password())
                    -> register(sessionId, register, accounts.prepare(register.name(), register.password()), now);
            case Request.Login login -> login(sessionId, login,
                    !refusesLoginsFor(login.name(), now) && accounts.verify(login.name(), login.password()), now);
            default -> answer(sessionId, request, now, null, false);
        };
    }

    /** REGISTER with a password whose account was prepared (hashed) outside the lock. */
    List<Outbound> register(SessionId sessionId, Request.Register register, Accounts.Account account, Instant now) {
        return answer(sessionId, register, now, account, false);
    }

    /**
     * LOGIN whose password was checked outside the lock. A name that {@link #refusesLoginsFor
     * refuses logins} is refused whatever {@code passwordMatches} says, so the shell may pass false
     * without hashing.
     */
    List<Outbound> login(SessionId sessionId, Request.Login login, boolean passwordMatches, Instant now) {
        return answer(sessionId, login, now, null, passwordMatches);
    }

    private List<Outbound> answer(SessionId sessionId, Request request, Instant now, Accounts.Account prepared,
                                  boolean passwordMatches) {
        Session session = sessions.get(sessionId);
        if (session == null) {
            return List.of();
        }
        Effects out = new Effects();
        boolean signIn = request instanceof Request.Register || request instanceof Request.Login;
        if (session.name == null && !signIn && !admit(session, request.id(), out)) {
            return out.list;
        }
        switch (request) {
            case Request.Hello hello -> hello(session, hello, out);
            case Request.Register register -> register(session, register, prepared, now, out);
            case Request.Login login -> login(session, login, passwordMatches, now, out);
            case Request.Post post -> post(session, post, now, out);
            case Request.PostPrivate post -> postPrivate(session, post, now, out);
            case Request.Join join -> join(session, join, now, out);
            case Request.Leave leave -> leave(session, leave, now, out);
            case Request.ListUsers list -> out.reply(session, new Reply.Users(list.id(), onlineNames()));
            case Request.ListRooms list -> out.reply(session, new Reply.Rooms(list.id(), roomInfos()));
            case Request.ListMessages list -> history(session, list, out);
            case Request.Echo echo -> out.reply(session, new Reply.Echoed(echo.id(), echo.text()));
            case Request.Time time -> out.reply(session,
                    new Reply.ServerTime(time.id(), OffsetDateTime.ofInstant(now, config.zone())));
            case Request.Ping ping -> out.reply(session, new Reply.Pong(ping.id(), ping.token()));
            case Request.Quit quit -> {
                out.reply(session, new Reply.Goodbye(quit.id()));
                leaveEverything(session, PresenceChange.QUIT, now, out);
                out.close(session, ErrorCode.UNSPECIFIED, "Goodbye!");
            }
        }
        if (signIn && session.name == null && sessions.containsKey(session.id)
                && ++session.requestsBeforeRegister > config.limits().messagesBeforeRegister()) {
            // A failed REGISTER or LOGIN already has its one reply; past the allowance it also ends the session.
            out.close(session, ErrorCode.NOT_REGISTERED, "Too many requests before REGISTER");
            sessions.remove(session.id);
        }
        return out.list;
    }

    /** Answers a frame that could not be decoded into a request. */
    List<Outbound> reject(SessionId sessionId, RequestId requestId, ErrorCode code, String text) {
        Session session = sessions.get(sessionId);
        if (session == null) {
            return List.of();
        }
        Effects out = new Effects();
        if (session.name == null && !admit(session, requestId, out)) {
            return out.list;
        }
        out.fail(session, requestId, code, text);
        return out.list;
    }

    /**
     * Counts a request from a session that has no name yet (undecodable frames included; failed
     * REGISTERs and LOGINs are counted after their reply): past the allowance the session is closed,
     * so nobody can probe names or hold a connection for free. A request that signs in is always
     * heard while the session is open.
     */
    private boolean admit(Session session, RequestId id, Effects out) {
        if (++session.requestsBeforeRegister <= config.limits().messagesBeforeRegister()) {
            return true;
        }
        String text = "Too many requests before REGISTER";
        out.fail(session, id, ErrorCode.NOT_REGISTERED, text);
        out.close(session, ErrorCode.NOT_REGISTERED, text);
        sessions.remove(session.id); // nameless, so in no room: nobody to tell
        return false;
    }

    /** The connection ended without QUIT (or after it: then nothing is left to do). */
    List<Outbound> disconnect(SessionId sessionId, PresenceChange how, Instant now) {
        Session session = sessions.get(sessionId);
        if (session == null) {
            return List.of();
        }
        Effects out = new Effects();
        leaveEverything(session, how, now, out);
        return out.list;
    }

    /** Sessions that did not register within the deadline are closed. */
    List<Outbound> expire(Instant now) {
        Effects out = new Effects();
        Instant cutoff = now.minus(config.limits().registrationTimeout());
        for (Session session : List.copyOf(sessions.values())) {
            if (session.name == null && !session.connectedAt.isAfter(cutoff)) {
                String text = "Did not register within " + config.limits().registrationTimeout().toSeconds() + " s";
                out.reply(session, new Reply.Failed(RequestId.NONE, ErrorCode.REGISTRATION_TIMEOUT, text));
                leaveEverything(session, PresenceChange.DISCONNECTED, now, out);
                out.close(session, ErrorCode.REGISTRATION_TIMEOUT, text);
            }
        }
        return out.list;
    }

    /**
     * What to tell a session before it is closed for {@code reason}: an event if it takes pushes, else
     * a failure in the seed's shape (a seed client reads it as the answer to whatever it asked last).
     */
    ChatMessage lastWords(SessionId sessionId, ErrorCode reason, String text) {
        Session session = sessions.get(sessionId);
        if (session != null && session.push) {
            return new Event.Closing(reason, text);
        }
        return new Reply.Failed(RequestId.NONE, reason, text);
    }

    /**
     * Whether LOGINs for {@code name} are refused now: it had {@link FailedLogins#MAX_FAILURES_DEFAULT}
     * failures within {@link FailedLogins#WINDOW_DEFAULT}. Asked before hashing, so a guesser costs
     * no CPU; unknown names are throttled alike, so the answer reveals no account.
     */
    boolean refusesLoginsFor(String name, Instant now) {
        return failedLogins.refusedFor(name, now).isPresent();
    }

    /** Names whose failed LOGINs are remembered (at most {@link FailedLogins#MAX_NAMES_DEFAULT}). */
    int namesWithFailedLogins() {
        return failedLogins.names();
    }

    int sessionCount() {
        return sessions.size();
    }

    /** Sessions that have not registered or logged in yet (the ones {@code Limits.maxUnregistered()} caps). */
    int unregisteredCount() {
        return sessions.size() - sessionsByName.size();
    }

    private void hello(Session session, Request.Hello hello, Effects out) {
        Set<Capability> granted = hello.capabilities().isEmpty()
                ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(hello.capabilities());
        session.push = granted.contains(Capability.PUSH);
        out.reply(session, new Reply.Negotiated(hello.id(), PROTOCOL_VERSION, granted, config.serverName()));
    }

    private void register(Session session, Request.Register register, Accounts.Account prepared, Instant now,
                          Effects out) {
        String name = register.name();
        if (session.name != null) {
            out.fail(session, register.id(), ErrorCode.ALREADY_REGISTERED, "Already registered as " + session.name);
        } else if (!Names.validUser(name, config.limits().maxNameLength())) {
            out.fail(session, register.id(), ErrorCode.INVALID_NAME, "Invalid name: use 1-"
                    + config.limits().maxNameLength() + " letters, digits, _ or -, starting with a letter");
        } else if (sessionsByName.containsKey(Names.fold(name))) {
            out.fail(session, register.id(), ErrorCode.NAME_TAKEN, "Name already taken: " + name);
        } else if (accounts.exists(name)) {
            out.fail(session, register.id(), ErrorCode.NAME_TAKEN, name + " is registered with a password: use LOGIN");
        } else if (register.password().isPresent() && prepared == null) {
            out.fail(session, register.id(), ErrorCode.INVALID_PARAMS, "Password must be "
                    + Accounts.MIN_PASSWORD + "-" + Accounts.MAX_PASSWORD + " characters");
        } else if (prepared != null && !accounts.add(prepared)) {
            out.fail(session, register.id(), ErrorCode.NAME_TAKEN, name + " is registered with a password: use LOGIN");
        } else {
            // A name taken with REGISTER was nobody's account: whoever held it before was someone else,
            // whose private history the newcomer must not read.
            forgetConversationsOf(name);
            signIn(session, name, new Reply.Registered(register.id(), name), now, out);
        }
    }

    private void login(Session session, Request.Login login, boolean passwordMatches, Instant now, Effects out) {
        Optional<Duration> refused = failedLogins.refusedFor(login.name(), now);
        if (session.name != null) {
            out.fail(session, login.id(), ErrorCode.ALREADY_REGISTERED, "Already registered as " + session.name);
        } else if (refused.isPresent()) {
            // The name as typed, never as registered: the refusal must not tell whether it exists.
            out.fail(session, login.id(), ErrorCode.TRY_AGAIN, "Too many failed logins for " + login.name()
                    + "; try again in " + wholeSecondsUp(refused.get()) + " s");
        } else if (!passwordMatches) {
            // One answer for an unknown name and a wrong password, so names cannot be probed.
            out.fail(session, login.id(), ErrorCode.AUTH_FAILED, "Wrong name or password");
            if (Names.validUser(login.name(), config.limits().maxNameLength())) {
                // Only names that could be accounts: the map's keys stay short (an invalid one can never be guessed right).
                failedLogins.failed(login.name(), now);
            }
            if (++session.failedLogins >= MAX_FAILED_LOGINS) {
                out.close(session, ErrorCode.AUTH_FAILED, "Too many failed logins");
                sessions.remove(session.id); // nameless, so in no room: nobody to tell
            }
        } else if (sessionsByName.containsKey(Names.fold(login.name()))) {
            out.fail(session, login.id(), ErrorCode.NAME_TAKEN, login.name() + " is already online");
        } else {
            failedLogins.succeeded(login.name());
            String name = accounts.canonicalName(login.name());
            signIn(session, name, new Reply.LoggedIn(login.id(), name), now, out);
        }
    }

    private static long wholeSecondsUp(Duration duration) {
        return Math.max(1, duration.toSeconds() + (duration.toNanosPart() > 0 ? 1 : 0));
    }

    private void signIn(Session session, String name, Reply reply, Instant now, Effects out) {
        session.name = name;
        sessionsByName.put(Names.fold(name), session.id);
        out.reply(session, reply);
        enter(session, rooms.get(Names.fold(Request.DEFAULT_ROOM)), now, out);
    }

    private void post(Session session, Request.Post post, Instant now, Effects out) {
        Room room = rooms.get(Names.fold(post.room()));
        if (!registered(session, post.id(), out) || !textFits(session, post.id(), post.text(), out)) {
            return;
        }
        if (room == null) {
            out.fail(session, post.id(), ErrorCode.UNKNOWN_ROOM, "No such room: " + post.room());
        } else if (!room.members.contains(session.id)) {
            out.fail(session, post.id(), ErrorCode.NOT_IN_ROOM, "Not in room " + room.name + ": JOIN it first");
        } else if (!session.bucket.tryTake(now)) {
            out.fail(session, post.id(), ErrorCode.RATE_LIMITED, "Slow down: too many messages");
        } else if (!fits(new Event.RoomMessage(new StoredMessage(MessageId.of(Long.MAX_VALUE), room.name,
                session.name, post.text(), now)))) {
            out.fail(session, post.id(), ErrorCode.MESSAGE_TOO_LONG, "Message too long to fit one frame with its envelope");
        } else {
            StoredMessage message = new StoredMessage(nextMessageId(), room.name, session.name, post.text(), now);
            room.log.remember(message, config.limits().historyPerRoom());
            out.reply(session, new Reply.Posted(post.id(), message.id(), now));
            out.pushToRoom(room, null, new Event.RoomMessage(message));
        }
    }

    private void postPrivate(Session session, Request.PostPrivate post, Instant now, Effects out) {
        if (!registered(session, post.id(), out) || !textFits(session, post.id(), post.text(), out)) {
            return;
        }
        SessionId targetId = sessionsByName.get(Names.fold(post.to()));
        Session target = targetId == null ? null : sessions.get(targetId);
        if (target == null) {
            out.fail(session, post.id(), ErrorCode.UNKNOWN_USER, "No such user online: " + post.to());
        } else if (!target.push) {
            out.fail(session, post.id(), ErrorCode.FORBIDDEN,
                    target.name + " uses a client that cannot receive private messages");
        } else if (!fits(new Event.PrivateMessage(MessageId.of(Long.MAX_VALUE), session.name, target.name, post.text(), now))) {
            out.fail(session, post.id(), ErrorCode.MESSAGE_TOO_LONG, "Message too long to fit one frame with its envelope");
        } else if (!session.bucket.tryTake(now)) {
            out.fail(session, post.id(), ErrorCode.RATE_LIMITED, "Slow down: too many messages");
        } else {
            MessageId id = nextMessageId();
            remember(new Pair(session.name, target.name),
                    new StoredMessage(id, PRIVATE_PREFIX + target.name, session.name, post.text(), now));
            out.reply(session, new Reply.SentPrivate(post.id(), id, target.name, now));
            Event.PrivateMessage event = new Event.PrivateMessage(id, session.name, target.name, post.text(), now);
            out.push(target, event);
            if (target != session) {
                out.push(session, event);
            }
        }
    }

    private void join(Session session, Request.Join join, Instant now, Effects out) {
        if (!registered(session, join.id(), out)) {
            return;
        }
        if (!Names.validRoom(join.room(), config.limits().maxRoomNameLength())) {
            out.fail(session, join.id(), ErrorCode.INVALID_PARAMS, "Invalid room name: use 1-"
                    + config.limits().maxRoomNameLength() + " letters, digits, _, . or -");
            return;
        }
        Room room = rooms.computeIfAbsent(Names.fold(join.room()), key -> new Room(join.room()));
        boolean arriving = room.members.add(session.id);
        session.rooms.add(Names.fold(room.name));
        out.reply(session, new Reply.Joined(join.id(), room.name, memberNames(room)));
        if (arriving) {
            out.pushToRoom(room, session, new Event.Presence(room.name, session.name, PresenceChange.JOINED, now));
        }
    }

    private void leave(Session session, Request.Leave leave, Instant now, Effects out) {
        if (!registered(session, leave.id(), out)) {
            return;
        }
        Room room = rooms.get(Names.fold(leave.room()));
        if (room == null || !room.members.contains(session.id)) {
            out.fail(session, leave.id(), ErrorCode.NOT_IN_ROOM, "Not in room " + leave.room());
            return;
        }
        out.reply(session, new Reply.Left(leave.id(), room.name));
        exit(session, room, PresenceChange.LEFT, now, out);
    }

    private void history(Session session, Request.ListMessages list, Effects out) {
        if (list.room().startsWith(PRIVATE_PREFIX)) {
            privateHistory(session, list, out);
            return;
        }
        Room room = rooms.get(Names.fold(list.room()));
        if (room == null) {
            out.fail(session, list.id(), ErrorCode.UNKNOWN_ROOM, "No such room: " + list.room());
            return;
        }
        boolean isDefault = room.name.equals(Request.DEFAULT_ROOM);
        if (!isDefault && !room.members.contains(session.id)) {
            out.fail(session, list.id(), ErrorCode.NOT_IN_ROOM, "Not in room " + room.name + ": JOIN it first");
            return;
        }
        page(session, list, room.name, List.copyOf(room.log.messages), room.log.evictedThrough, out);
    }

    /**
     * {@code LIST_MESSAGES @name}: the asker's own conversation with {@code name}, paged as a room's,
     * each message labelled {@code @name} as asked. Nobody else's pair can be named, and a name with
     * no conversation (or no user) is an empty complete page, so the answer reveals nobody.
     */
    private void privateHistory(Session session, Request.ListMessages list, Effects out) {
        if (!registered(session, list.id(), out)) {
            return;
        }
        String other = list.room().substring(PRIVATE_PREFIX.length());
        if (!Names.validUser(other, config.limits().maxNameLength())) {
            out.fail(session, list.id(), ErrorCode.INVALID_PARAMS, "Invalid name after " + PRIVATE_PREFIX + ": use 1-"
                    + config.limits().maxNameLength() + " letters, digits, _ or -, starting with a letter");
            return;
        }
        MessageLog log = conversations.get(new Pair(session.name, other));
        List<StoredMessage> all = log == null ? List.of() : log.messages.stream()
                .map(m -> new StoredMessage(m.id(), list.room(), m.from(), m.text(), m.at()))
                .toList();
        page(session, list, list.room(), all, log == null ? null : log.evictedThrough, out);
    }

    /**
     * Answers {@code list} with a page of {@code all} (a room's or a pair's kept messages, oldest
     * first, labelled {@code label}): at most the page maximum, by the request's cursor, cut to fit
     * one frame; a cursor the history never had is {@link ErrorCode#UNKNOWN_MESSAGE_ID}.
     */
    private void page(Session session, Request.ListMessages list, String label, List<StoredMessage> all,
                      MessageId evictedThrough, Effects out) {
        int limit = Math.min(list.limit(), config.limits().historyPageMax());
        switch (list.cursor()) {
            case HistoryCursor.Latest latest -> {
                int from = Math.max(0, all.size() - limit);
                out.reply(session, fitted(list.id(), label, all.subList(from, all.size()), from == 0, true));
            }
            case HistoryCursor.Before before -> {
                int at = indexOf(all, evictedThrough, before.id());
                if (at == UNKNOWN) {
                    out.fail(session, list.id(), ErrorCode.UNKNOWN_MESSAGE_ID, "No message " + before.id() + " in " + label);
                    return;
                }
                int end = Math.max(at, 0);
                int from = Math.max(0, end - limit);
                out.reply(session, fitted(list.id(), label, all.subList(from, end), from == 0, true));
            }
            case HistoryCursor.After after -> {
                int at = indexOf(all, evictedThrough, after.id());
                if (at == UNKNOWN) {
                    out.fail(session, list.id(), ErrorCode.UNKNOWN_MESSAGE_ID, "No message " + after.id() + " in " + label);
                    return;
                }
                int from = at < 0 ? 0 : at + 1;
                int end = Math.min(all.size(), from + limit);
                out.reply(session, fitted(list.id(), label, all.subList(from, end), end == all.size(), false));
            }
        }
    }

    /** Keeps a private message in its pair's history, making the pair the last to be evicted. */
    private void remember(Pair pair, StoredMessage message) {
        MessageLog log = conversations.remove(pair);
        if (log == null) {
            log = new MessageLog();
        }
        log.remember(message, HISTORY_PER_PAIR);
        conversations.put(pair, log);
        while (conversations.size() > MAX_PAIRS) {
            conversations.remove(conversations.keySet().iterator().next());
        }
    }

    /** Forgets every pair {@code name} is in (both parties' view of it). */
    private void forgetConversationsOf(String name) {
        String folded = Names.fold(name);
        conversations.keySet().removeIf(pair -> pair.first.equals(folded) || pair.second.equals(folded));
    }

    /** Kept pairs of users (for tests). */
    int conversationCount() {
        return conversations.size();
    }

    private static final int UNKNOWN = Integer.MIN_VALUE;

    /**
     * A history page cut down until it fits one frame: from the oldest end when paging backwards
     * (the client pages on with BEFORE the oldest it got), from the newest end when paging forwards.
     * A cut page is never {@code complete}.
     */
    private Reply.History fitted(RequestId id, String room, List<StoredMessage> page, boolean complete, boolean keepNewest) {
        Reply.History reply = new Reply.History(id, room, page, complete);
        List<StoredMessage> kept = page;
        while (!kept.isEmpty() && !fits(reply)) {
            int drop = Math.max(1, kept.size() / 4);
            kept = keepNewest ? kept.subList(drop, kept.size()) : kept.subList(0, kept.size() - drop);
            reply = new Reply.History(id, room, kept, false);
        }
        return reply;
    }

    private boolean fits(ChatMessage message) {
        return frameSize.applyAsInt(message) <= config.limits().maxFrameBytes();
    }

    /**
     * The index of {@code id} in a room's or pair's kept history; -1 when it had it but no longer
     * keeps it (the page is empty, or starts at the oldest kept); {@link #UNKNOWN} when it never had
     * it. Never "the newest page" for an id it does not know.
     */
    private int indexOf(List<StoredMessage> history, MessageId evictedThrough, MessageId id) {
        int found = Collections.binarySearch(history.stream().map(StoredMessage::id).toList(), id);
        if (found >= 0) {
            return found;
        }
        return evictedThrough != null && id.compareTo(evictedThrough) <= 0 ? -1 : UNKNOWN;
    }

    private void enter(Session session, Room room, Instant now, Effects out) {
        room.members.add(session.id);
        session.rooms.add(Names.fold(room.name));
        out.pushToRoom(room, session, new Event.Presence(room.name, session.name, PresenceChange.JOINED, now));
    }

    private void exit(Session session, Room room, PresenceChange how, Instant now, Effects out) {
        room.members.remove(session.id);
        session.rooms.remove(Names.fold(room.name));
        out.pushToRoom(room, session, new Event.Presence(room.name, session.name, how, now));
        if (room.members.isEmpty() && !room.name.equals(Request.DEFAULT_ROOM)) {
            rooms.remove(Names.fold(room.name));
        }
    }

    private void leaveEverything(Session session, PresenceChange how, Instant now, Effects out) {
        for (String key : List.copyOf(session.rooms)) {
            exit(session, rooms.get(key), how, now, out);
        }
        if (session.name != null) {
            sessionsByName.remove(Names.fold(session.name));
        }
        sessions.remove(session.id);
    }

    private boolean registered(Session session, RequestId id, Effects out) {
        if (session.name == null) {
            out.fail(session, id, ErrorCode.NOT_REGISTERED, "Please register first: REGISTER <name>");
            return false;
        }
        return true;
    }

    private boolean textFits(Session session, RequestId id, String text, Effects out) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > config.limits().maxTextBytes()) {
            out.fail(session, id, ErrorCode.MESSAGE_TOO_LONG,
                    "Message of " + bytes + " bytes is longer than " + config.limits().maxTextBytes());
            return false;
        }
        return true;
    }

    private MessageId nextMessageId() {
        return MessageId.of(++lastMessageId);
    }

    private List<String> onlineNames() {
        List<String> names = new ArrayList<>();
        for (Session session : sessions.values()) {
            if (session.name != null) {
                names.add(session.name);
            }
        }
        return names;
    }

    private List<RoomInfo> roomInfos() {
        return rooms.values().stream().map(room -> new RoomInfo(room.name, room.members.size())).toList();
    }

    private List<String> memberNames(Room room) {
        return room.members.stream().map(id -> sessions.get(id).name).toList();
    }

    /** Collects effects in the order they must happen. */
    private final class Effects {
        final List<Outbound> list = new ArrayList<>();

        void reply(Session to, Reply reply) {
            list.add(new Outbound.Send(to.id, reply));
        }

        void fail(Session to, RequestId id, ErrorCode code, String text) {
            reply(to, new Reply.Failed(id, code, text));
        }

        void push(Session to, Event event) {
            if (to.push) {
                list.add(new Outbound.Send(to.id, event));
            }
        }

        /** To every member with push, except {@code skip} (may be null). */
        void pushToRoom(Room room, Session skip, Event event) {
            for (SessionId member : room.members) {
                Session session = sessions.get(member);
                if (session != null && session != skip) {
                    push(session, event);
                }
            }
        }

        void close(Session session, ErrorCode reason, String text) {
            list.add(new Outbound.Close(session.id, reason, text));
        }
    }

    private static final class Session {
        final SessionId id;
        final Instant connectedAt;
        final TokenBucket bucket;
        final Set<String> rooms = new LinkedHashSet<>();
        String name;
        boolean push;
        int requestsBeforeRegister;
        int failedLogins;

        Session(SessionId id, Instant connectedAt, RateLimit rateLimit) {
            this.id = id;
            this.connectedAt = connectedAt;
            this.bucket = new TokenBucket(rateLimit, connectedAt);
        }
    }

    private static final class Room {
        final String name;
        final Set<SessionId> members = new LinkedHashSet<>();
        final MessageLog log = new MessageLog();

        Room(String name) {
            this.name = name;
        }
    }

    /** A room's or a pair's kept messages, oldest first, bounded by dropping the oldest. */
    private static final class MessageLog {
        final ArrayDeque<StoredMessage> messages = new ArrayDeque<>();
        /** The newest message dropped to keep the history bounded; null while none was. */
        MessageId evictedThrough;

        void remember(StoredMessage message, int keep) {
            messages.addLast(message);
            while (messages.size() > keep) {
                evictedThrough = messages.removeFirst().id();
            }
        }
    }

    /** Two users by their folded names, in either order: {@code Pair(a, b)} equals {@code Pair(b, a)}. */
    private record Pair(String first, String second) {
        Pair {
            String a = Names.fold(first);
            String b = Names.fold(second);
            first = a.compareTo(b) <= 0 ? a : b;
            second = a.compareTo(b) <= 0 ? b : a;
        }
    }
}
