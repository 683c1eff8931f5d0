package dev.wirelab.chat;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.TrafficStats;
import dev.wirelab.transport.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A chat client over any {@link Transport} and {@link Codec}: {@link #call} sends a request and
 * waits for its reply; {@link #send} sends without waiting; pushed events and unclaimed replies go
 * to a {@link ChatListener}. Request ids are made here ({@code c1}, {@code c2}, ...), so every reply
 * finds its request.
 *
 * <p>Threads: {@code call} and {@code send} are thread-safe. One virtual thread reads the
 * connection and calls the listener.
 */
public final class ChatClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ChatClient.class.getName());

    private final Connection connection;
    private final Codec codec;
    private final ChatListener listener;
    private final Reply welcome;
    private final Map<RequestId, BlockingQueue<Reply>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread reader;
    private final Thread keepAlive;
    private final Duration keepAliveInterval;
    private volatile String closeReason = "";
    private volatile long lastSentNanos = System.nanoTime();

    private ChatClient(Connection connection, Codec codec, ChatListener listener, Reply welcome, Duration keepAliveInterval) {
        this.connection = connection;
        this.keepAliveInterval = keepAliveInterval;
        this.codec = codec;
        this.listener = listener;
        this.welcome = welcome;
        this.keepAlive = Thread.ofVirtual().name("chat-keepalive-" + connection.localAddress()).start(this::keepAlive);
        this.reader = Thread.ofVirtual().name("chat-client-" + connection.localAddress()).start(this::read);
    }

    /** Quiet this long, the client pings, so a server's idle timeout drops only peers that vanished. */
    public static final Duration KEEPALIVE_DEFAULT = Duration.ofSeconds(60);

    private static final String KEEPALIVE_TOKEN = "keepalive";

    /**
     * Connects and reads the server's first line (its welcome).
     *
     * @throws IOException if the connection fails or the first line is not a reply
     */
    public static ChatClient connect(Transport transport, Codec codec, SocketAddress server, ChatListener listener)
            throws IOException {
        return connect(transport, codec, server, listener, KEEPALIVE_DEFAULT);
    }

    /**
     * Connects as {@link #connect(Transport, Codec, SocketAddress, ChatListener)} does, pinging after
     * {@code keepAlive} of quiet instead of {@link #KEEPALIVE_DEFAULT}: for a server whose idle
     * timeout is shorter than a minute.
     */
    public static ChatClient connect(Transport transport, Codec codec, SocketAddress server, ChatListener listener,
                                     Duration keepAlive) throws IOException {
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keepAlive must be positive: " + keepAlive);
        }
        Connection connection = transport.connect(server, codec.framing());
        try {
            ChatMessage first = codec.decode(connection.receive());
            if (!(first instanceof Reply welcome)) {
                throw new IOException("the server spoke first with " + first + " instead of a welcome");
            }
            return new ChatClient(connection, codec, listener, welcome, keepAlive);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e instanceof IOException io ? io : new IOException("bad welcome from " + server + ": " + e.getMessage(), e);
        }
    }

    /** The server's first line. */
    public Reply welcome() {
        return welcome;
    }

    /**
     * Sends a request built with a fresh id and waits for its reply.
     *
     * @param request builds the request from the id this client chose
     * @throws IOException if the connection ends or the reply does not come within {@code timeout}
     */
    public Reply call(Function<RequestId, ? extends Request> request, Duration timeout) throws IOException {
        RequestId id = nextId();
        BlockingQueue<Reply> slot = new ArrayBlockingQueue<>(1);
        waiting.put(id, slot);
        try {
            // The connection's own delivery: RELIABLE_ORDERED on TCP, whatever UDP was set up with.
            connection.send(codec.encode(request.apply(id)));
            lastSentNanos = System.nanoTime();
            Reply reply = slot.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (reply == null) {
                throw new IOException(closed.get() ? "connection closed: " + closeReason
                        : "no reply to " + id + " within " + timeout);
            }
            return reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the reply to " + id);
        } finally {
            waiting.remove(id);
        }
    }

    /** Sends a request without waiting, with the connection's own delivery; the reply goes to {@link ChatListener#onReply}. */
    public RequestId send(Function<RequestId, ? extends Request> request) throws IOException {
        RequestId id = nextId();
        connection.send(codec.encode(request.apply(id)));
        lastSentNanos = System.nanoTime();
        return id;
    }

    /** Sends a request without waiting, with the given delivery; its reply goes to {@link ChatListener#onReply}. */
    public RequestId send(Function<RequestId, ? extends Request> request, Delivery delivery) throws IOException {
        RequestId id = nextId();
        connection.send(codec.encode(request.apply(id)), delivery);
        lastSentNanos = System.nanoTime();
        return id;
    }

    /** Bytes and frames this client's connection has carried so far, headers and retransmits as the transport counts them. */
    public TrafficStats stats() {
        return connection.stats();
    }

    /**
     * The connection this client talks over, for what only its transport can tell: a UDP
     * connection's engine counters, say, which a caller that knows the transport reads with an
     * {@code instanceof} ({@code wirelab client}'s {@code /stats} does). This way the chat needs no
     * transport of its own to depend on and no interface of counters it would have to keep in step
     * with every transport's. Read from it only: a frame sent, received or a close done on it behind
     * the client's back would confuse the client's reader and its request ids.
     */
    public Connection connection() {
        return connection;
    }

    /** Whether the connection has ended. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Closes the connection (QUIT first if you want the server to say goodbye). */
    @Override
    public void close() {
        connection.close();
        keepAlive.interrupt();
        try {
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RequestId nextId() {
        return RequestId.of("c" + lastId.incrementAndGet());
    }

    private void read() {
        String reason = "closed";
        try {
            while (true) {
                ChatMessage message;
                try {
                    message = codec.decode(connection.receive());
                } catch (CodecException e) {
                    LOG.log(System.Logger.Level.WARNING, () -> "undecodable frame from the server: " + e.getMessage());
                    // If it answered a request we wait for, say so now rather than at the timeout.
                    if (e.requestId().isPresent()) {
                        deliver(new Reply.Failed(e.requestId(), e.code(), "undecodable reply: " + e.getMessage()));
                    }
                    continue;
                }
                switch (message) {
                    case Event event -> listener.onEvent(event);
                    case Reply reply -> deliver(reply);
                    case Request request -> LOG.log(System.Logger.Level.WARNING, () -> "the server sent a request: " + request);
                }
            }
        } catch (IOException e) {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } finally {
            closeReason = reason;
            closed.set(true);
            keepAlive.interrupt();
            connection.close();
            waiting.values().forEach(slot -> slot.offer(new Reply.Failed(RequestId.NONE,
                    ErrorCode.UNSPECIFIED, "connection closed: " + closeReason)));
            listener.onClosed(closeReason);
        }
    }

    private void keepAlive() {
        long interval = keepAliveInterval.toNanos();
        try {
            while (!closed.get()) {
                long quiet = System.nanoTime() - lastSentNanos;
                if (quiet >= interval) {
                    send(id -> new Request.Ping(id, KEEPALIVE_TOKEN));
                } else {
                    Thread.sleep(Duration.ofNanos(interval - quiet));
                }
            }
        } catch (InterruptedException | IOException e) {
            // Closed: nothing left to keep alive.
        }
    }

    private void deliver(Reply reply) {
        if (reply instanceof Reply.Pong pong && pong.token().equals(KEEPALIVE_TOKEN)) {
            return;
        }
        BlockingQueue<Reply> slot = reply.id().isPresent() ? waiting.get(reply.id()) : null;
        if (slot != null) {
            slot.offer(reply);
        } else {
            listener.onReply(reply);
        }
    }
}
