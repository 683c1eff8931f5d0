package dev.wirelab.chat;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameTooLargeException;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.ConnectionClosedException;
import dev.wirelab.transport.Listener;
import dev.wirelab.transport.OrderingKey;
import dev.wirelab.transport.Transport;
import dev.wirelab.protocol.Limits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The chat server: a thin shell that carries out what {@link ChatState} decides, over any
 * {@link Transport} and {@link Codec}.
 *
 * <p>Threads: the transport serves each connection on a virtual thread of its own, which reads,
 * decodes and applies requests; the state has a single writer (a lock, held only to apply a request
 * and queue its effects, never during I/O). Each session's replies and events go through its own
 * bounded {@link Outbox}, drained by its own virtual thread, so a slow reader never slows anyone
 * else: when its queue passes {@code Limits.sendQueueBytes()} it is dropped with
 * {@link ErrorCode#SENDQ_EXCEEDED}, and the rest of its rooms keep receiving everything, in order.
 *
 * <p>Connection caps ({@link Limits#maxClients()}, {@link Limits#maxUnregistered()},
 * {@link Limits#maxClientsPerAddress()}): a connection past one is refused before it gets a session
 * or the welcome. It is sent one {@link ErrorCode#TRY_AGAIN} failure saying which cap, then closed;
 * {@link #refusedConnections()} counts them. Only unregistered connections count against
 * {@code maxUnregistered}, so sockets that never register (slowloris) fill that cap and are dropped by
 * the line-completion or registration deadline, while registered clients keep their places.
 */
public final class ChatServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ChatServer.class.getName());
    private static final long SHUTDOWN_FLUSH_MILLIS = 3_000;
    private static final int HASHING_PERMITS = 2;
    private static final long REFUSAL_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Codec codec;
    private final ChatConfig config;
    private final InstantSource clock;
    private final ChatState state;
    private final Accounts accounts;
    /** Password hashes computed at once; more wait for nobody: they get TRY_AGAIN. */
    private final Semaphore hashing = new Semaphore(HASHING_PERMITS);
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Map<SessionId, Link> links = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Sessions per peer IP address, for the per-address cap; guarded by the state lock. */
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastRefusalWarningNanos = new AtomicLong();
    private Listener listener;

    private ChatServer(Codec codec, ChatConfig config, InstantSource clock, RandomGenerator random) {
        this.codec = codec;
        this.config = config;
        this.clock = clock;
        this.accounts = new Accounts(config.passwordIterations(), random);
        this.state = new ChatState(config, accounts, message -> codec.encode(message).length());
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("chat-ticker").factory());
    }

    /** Starts a server with the system clock and a secure random for password salts. */
    public static ChatServer start(Transport transport, Codec codec, SocketAddress address, ChatConfig config)
            throws IOException {
        return start(transport, codec, address, config, InstantSource.system(), new SecureRandom());
    }

    /** Starts a server with the given clock and random (tests replay both). */
    public static ChatServer start(Transport transport, Codec codec, SocketAddress address, ChatConfig config,
                                   InstantSource clock, RandomGenerator random) throws IOException {
        ChatServer server = new ChatServer(codec, config, clock, random);
        server.listener = transport.listen(address, codec.framing(), server::serve);
        server.ticker.scheduleWithFixedDelay(server::tick, 1, 1, TimeUnit.SECONDS);
        LOG.log(System.Logger.Level.INFO, () -> "chat server on " + transport.name() + "/" + codec.name()
                + " listening at " + server.listener.localAddress());
        return server;
    }

    /** Where the server really listens (the chosen port when started on port 0). */
    public SocketAddress address() {
        return listener.localAddress();
    }

    /** Sessions connected now. */
    public int sessionCount() {
        return links.size();
    }

    /** Connections refused so far because a connection cap of {@code Limits} was reached. */
    public long refusedConnections() {
        return refused.get();
    }

    /**
     * Stops accepting, tells every client the server is shutting down, sends what is queued (for up
     * to three seconds), then closes every connection. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listener.close();
        ticker.shutdownNow();
        stateLock.lock();
        try {
            for (Link link : links.values()) {
                link.outbox.offer(codec.encode(state.lastWords(link.session, ErrorCode.SERVER_SHUTTING_DOWN,
                        "Server is shutting down")), OrderingKey.CONNECTION);
                link.outbox.closeAfterFlush();
            }
        } finally {
            stateLock.unlock();
        }
        long deadline = System.currentTimeMillis() + SHUTDOWN_FLUSH_MILLIS;
        for (Link link : List.copyOf(links.values())) {
            try {
                if (!link.outbox.awaitFinished(Math.max(1, deadline - System.currentTimeMillis()))) {
                    link.connection.close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                link.connection.close();
            }
        }
        LOG.log(System.Logger.Level.INFO, "chat server stopped");
    }

    private void serve(Connection connection) {
        Optional<Link> admitted = admit(connection);
        if (admitted.isEmpty()) {
            return; // refused, and told why; the transport closes the connection
        }
        Link link = admitted.get();
        LOG.log(System.Logger.Level.INFO, () -> "connected " + link.session + " from " + connection.remoteAddress());
        String reason = "closed";
        try {
            while (!link.outbox.finished()) {
                Frame frame;
                try {
                    frame = connection.receive();
                } catch (FrameTooLargeException e) {
                    long discardLimit = codec.framing().discardLimit();
                    if (e.length() > discardLimit) {
                        // Past the discard limit the stream cannot be followed: say so, then close.
                        reject(link, RequestId.NONE, ErrorCode.FRAME_TOO_LARGE, "Frame too large: more than "
                                + discardLimit + " bytes without an end; closing the connection");
                        reason = "frame of more than " + discardLimit + " bytes";
                        flushThenClose(link);
                        break;
                    }
                    // The transport skipped the frame without buffering it; the stream is in step.
                    reject(link, RequestId.NONE, ErrorCode.FRAME_TOO_LARGE, "Frame too large: " + e.getMessage());
                    continue;
                }
                handle(link, frame);
            }
        } catch (ConnectionClosedException e) {
            reason = e.reason() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (IOException e) {
            reason = "I/O error: " + e.getMessage();
        } finally {
            stateLock.lock();
            try {
                execute(state.disconnect(link.session, PresenceChange.DISCONNECTED, clock.instant()));
                links.remove(link.session);
                if (link.address != null) {
                    perAddress.merge(link.address, -1, (held, minus) -> held + minus == 0 ? null : held + minus);
                }
            } finally {
                stateLock.unlock();
            }
            link.outbox.closeAfterFlush();
            String why = reason;
            LOG.log(System.Logger.Level.INFO, () -> "disconnected " + link.session + " (" + why + ")");
        }
    }

    /**
     * A session for a new connection, or none when a connection cap refuses it: then the peer gets one
     * TRY_AGAIN failure in the codec (no welcome) and the connection is closed at once, so a flood of
     * sockets costs a line each and never a session. The caps are checked and the session made under
     * the state lock, so two connections cannot both take the last place.
     */
    private Optional<Link> admit(Connection connection) {
        Optional<String> refusal;
        stateLock.lock();
        try {
            InetAddress address = connection.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
            refusal = refusal(address);
            if (refusal.isEmpty()) {
                ChatState.Connected connected = state.connect(clock.instant());
                Link link = new Link(connected.session(), connection, address,
                        new Outbox(connection, config.limits().sendQueueBytes(), connected.session() + "-" + connection.remoteAddress()));
                links.put(link.session, link);
                if (address != null) {
                    perAddress.merge(address, 1, Integer::sum);
                }
                execute(connected.effects());
                return Optional.of(link);
            }
        } finally {
            stateLock.unlock();
        }
        refuse(connection, refusal.get());
        return Optional.empty();
    }

    /** Why a connection from {@code address} (null when it has none) may not have a session now; empty if it may. */
    private Optional<String> refusal(InetAddress address) {
        Limits limits = config.limits();
        if (links.size() >= limits.maxClients()) {
            return Optional.of("Server full: " + limits.maxClients() + " clients connected; try again later");
        }
        if (state.unregisteredCount() >= limits.maxUnregistered()) {
            return Optional.of("Too many connections waiting to register (" + limits.maxUnregistered()
                    + "); try again later");
        }
        if (address != null && (limits.capLoopback() || !address.isLoopbackAddress())
                && perAddress.getOrDefault(address, 0) >= limits.maxClientsPerAddress()) {
            return Optional.of("Too many connections from " + address.getHostAddress() + " ("
                    + limits.maxClientsPerAddress() + "); try again later");
        }
        return Optional.empty();
    }

    private void refuse(Connection connection, String text) {
        long count = refused.incrementAndGet();
        long now = System.nanoTime();
        long last = lastRefusalWarningNanos.get();
        // Refusals come in floods: one warning per interval with the running count, the rest at DEBUG.
        boolean warn = (last == 0 || now - last > REFUSAL_WARNING_INTERVAL_NANOS)
                && lastRefusalWarningNanos.compareAndSet(last, now);
        LOG.log(warn ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                () -> "refused " + connection.remoteAddress() + ": " + text + " (" + count + " refused so far)");
        try {
            connection.send(codec.encode(new Reply.Failed(RequestId.NONE, ErrorCode.TRY_AGAIN, text)));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "could not tell " + connection.remoteAddress() + " it was refused: " + e);
        }
    }

    /**
     * Sends what the session has queued, then closes its connection; waits no longer than a write may
     * block (the transport's write deadline ends a stuck write), then closes anyway.
     */
    private void flushThenClose(Link link) {
        link.outbox.closeAfterFlush();
        try {
            if (!link.outbox.awaitFinished(config.limits().writeDeadline().toMillis() + 1_000)) {
                link.connection.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            link.connection.close();
        }
    }

    private void handle(Link link, Frame frame) {
        ChatMessage message;
        try {
            message = codec.decode(frame);
        } catch (CodecException e) {
            reject(link, e.requestId(), e.code(), e.getMessage());
            return;
        }
        if (message instanceof Request request) {
            apply(link, request);
        } else {
            reject(link, RequestId.NONE, ErrorCode.INVALID_MESSAGE, "Expected a request, got " + message.getClass().getSimpleName());
        }
    }

    /**
     * Applies a request under the lock. Passwords are hashed first, on this session's own thread
     * and outside the lock, so a LOGIN never stalls the chat for everyone else.
     */
    private void apply(Link link, Request request) {
        switch (request) {
            case Request.Login login -> {
                if (refusedAsThrottled(link, login)) {
                    return;
                }
                if (!hashing.tryAcquire()) {
                    reject(link, login.id(), ErrorCode.TRY_AGAIN, "Busy checking other passwords: try again");
                    return;
                }
                boolean matches;
                try {
                    matches = accounts.verify(login.name(), login.password());
                } finally {
                    hashing.release();
                }
                locked(() -> state.login(link.session, login, matches, clock.instant()));
            }
            case Request.Register register when register.password().isPresent()
                    && accounts.acceptable(register.password()) -> {
                if (!hashing.tryAcquire()) {
                    reject(link, register.id(), ErrorCode.TRY_AGAIN, "Busy checking other passwords: try again");
                    return;
                }
                Accounts.Account account;
                try {
                    account = accounts.prepare(register.name(), register.password());
                } finally {
                    hashing.release();
                }
                locked(() -> state.register(link.session, register, account, clock.instant()));
            }
            default -> locked(() -> state.apply(link.session, request, clock.instant()));
        }
    }

    /**
     * Answers a LOGIN for a throttled name under the lock, before its password is hashed, so guessing
     * costs the server nothing; false if the name may try. The state refuses it again if the name
     * became throttled while its hash was computed.
     */
    private boolean refusedAsThrottled(Link link, Request.Login login) {
        stateLock.lock();
        try {
            Instant now = clock.instant();
            if (!state.refusesLoginsFor(login.name(), now)) {
                return false;
            }
            execute(state.login(link.session, login, false, now)); // refused whatever the password
            return true;
        } finally {
            stateLock.unlock();
        }
    }

    /** Passwords hashed so far, for REGISTER and LOGIN (tests check that a throttled LOGIN costs none). */
    long passwordsHashed() {
        return accounts.hashes();
    }

    private void locked(Supplier<List<Outbound>> step) {
        stateLock.lock();
        try {
            execute(step.get());
        } finally {
            stateLock.unlock();
        }
    }

    private void reject(Link link, RequestId id, ErrorCode code, String text) {
        stateLock.lock();
        try {
            execute(state.reject(link.session, id, code, text));
        } finally {
            stateLock.unlock();
        }
    }

    /** Carries out effects in order; dropping a slow session adds its presence notices to the work. */
    private void execute(List<Outbound> effects) {
        ArrayDeque<Outbound> work = new ArrayDeque<>(effects);
        Map<ChatMessage, Frame> encoded = new IdentityHashMap<>();
        while (!work.isEmpty()) {
            switch (work.removeFirst()) {
                case Outbound.Send send -> {
                    Link link = links.get(send.to());
                    if (link == null) {
                        continue;
                    }
                    // A broadcast is one message object for every recipient: encode it once.
                    Frame frame = encoded.computeIfAbsent(send.message(), this::encodeToFit);
                    if (frame.length() > codec.framing().maxFrameBytes()) {
                        LOG.log(System.Logger.Level.WARNING, () -> "not sending " + send.message().getClass().getSimpleName()
                                + " of " + frame.length() + " bytes to " + link.session + ": over the frame limit");
                    } else if (!link.outbox.offer(frame, orderingKeyOf(send.message()))) {
                        drop(link, work);
                    }
                }
                case Outbound.Close close -> {
                    Link link = links.get(close.session());
                    if (link != null) {
                        link.outbox.closeAfterFlush();
                    }
                }
            }
        }
    }

    /**
     * What a message must stay in order with: a room's messages and presence notices with each other
     * (so over UDP a loss in one room does not hold back another), everything else (replies, private
     * messages, the closing notice) with the connection's own sequence.
     */
    static OrderingKey orderingKeyOf(ChatMessage message) {
        return switch (message) {
            case Event.RoomMessage posted -> roomKey(posted.message().room());
            case Event.Presence presence -> roomKey(presence.room());
            default -> OrderingKey.CONNECTION;
        };
    }

    private static OrderingKey roomKey(String room) {
        return OrderingKey.of("room:" + Names.fold(room));
    }

    /**
     * Encodes a message; a reply too large for one frame becomes a FRAME_TOO_LARGE failure for the
     * same request, so the asker gets an answer and keeps its connection.
     */
    private Frame encodeToFit(ChatMessage message) {
        Frame frame = codec.encode(message);
        int limit = codec.framing().maxFrameBytes();
        if (frame.length() > limit && message instanceof Reply reply) {
            return codec.encode(new Reply.Failed(reply.id(), ErrorCode.FRAME_TOO_LARGE,
                    "Reply of " + frame.length() + " bytes is larger than the frame limit of " + limit));
        }
        return frame;
    }

    private void drop(Link link, ArrayDeque<Outbound> work) {
        LOG.log(System.Logger.Level.WARNING, () -> "dropping " + link.session + " at " + link.connection.remoteAddress()
                + ": SENDQ_EXCEEDED, more than " + config.limits().sendQueueBytes() + " bytes waiting");
        link.dropDeadlineNanos = System.nanoTime() + DROP_GRACE_NANOS;
        link.outbox.abort(codec.encode(state.lastWords(link.session, ErrorCode.SENDQ_EXCEEDED,
                "Too slow: more than " + config.limits().sendQueueBytes() + " bytes waiting to be sent")));
        work.addAll(state.disconnect(link.session, PresenceChange.DISCONNECTED, clock.instant()));
    }

    private void tick() {
        try {
            stateLock.lock();
            try {
                execute(state.expire(clock.instant()));
            } finally {
                stateLock.unlock();
            }
            long now = System.nanoTime();
            long deadline = config.limits().writeDeadline().toNanos();
            for (Link link : links.values()) {
                long dropDeadline = link.dropDeadlineNanos;
                if (dropDeadline != 0 && now - dropDeadline > 0) {
                    link.connection.close();
                } else if (link.outbox.stuckFor(deadline, now)) {
                    LOG.log(System.Logger.Level.WARNING, () -> "closing " + link.session + ": a write blocked for more than "
                            + config.limits().writeDeadline().toSeconds() + " s");
                    link.connection.close();
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "chat ticker failed", e);
        }
    }

    private static final class Link {
        final SessionId session;
        final Connection connection;
        /** The peer's IP address, counted against the per-address cap; null if the transport has none. */
        final InetAddress address;
        final Outbox outbox;
        /** When a dropped session's connection is closed whether or not its last words went out; 0 if not dropped. */
        volatile long dropDeadlineNanos;

        Link(SessionId session, Connection connection, InetAddress address, Outbox outbox) {
            this.session = session;
            this.connection = connection;
            this.address = address;
            this.outbox = outbox;
        }
    }

    /** A dropped slow client gets this long to take its last words before its connection is cut. */
    private static final long DROP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    @Override
    public String toString() {
        return "ChatServer[" + codec.name() + " at " + (listener == null ? "?" : listener.localAddress()) + "]";
    }
}
