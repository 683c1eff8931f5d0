package dev.wirelab.transport.udp;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameTooLargeException;
import dev.wirelab.transport.CloseReason;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.ConnectionClosedException;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Guarantees;
import dev.wirelab.transport.OrderingKey;
import dev.wirelab.transport.TrafficStats;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One UDP peer after the handshake: a {@link ReliableEngine} between the socket and the caller.
 *
 * <p><b>Threads.</b>
 * <ul>
 *   <li>The socket's receive loop calls {@link #onDatagram} for every datagram carrying this
 *       connection's id; it never blocks there for longer than one engine call.
 *   <li>A timer on a virtual thread of its own sleeps until the engine's next deadline
 *       ({@link ReliableEngine#nextDeadlineNanos()}: acknowledgement, loss, probe or keepalive) or
 *       the idle timeout, whichever comes first, and is woken early (a {@link Condition}) when a
 *       send or a receive moves the engine's deadline earlier. It calls
 *       {@link ReliableEngine#tick}, and ends the connection after the idle timeout.
 *   <li>{@link #send} is thread-safe: senders take turns on the engine's lock. When the engine
 *       answers {@link Offer#BACK_PRESSURED} the sender waits (on a condition, lock released) until
 *       acknowledgements open the window, at most {@link dev.wirelab.protocol.Limits#writeDeadline()};
 *       past that the connection ends as {@code LOST}.
 *   <li>{@link #receive} blocks on a bounded queue of delivered frames; one reader at a time.
 *       The queue is flow-controlled: the engine counts what is delivered and not yet read
 *       against {@code receiveQueueBytes} and shrinks the window it advertises, so a reader that
 *       falls behind stops the peer's sender (whose {@code send} then waits, up to the write
 *       deadline) instead of losing anything; each frame read is reported back
 *       ({@link ReliableEngine#consumed}), which reopens the window.
 * </ul>
 * The engine is pure and single-threaded, so every call to it is made under one
 * {@link ReentrantLock}; what it transmits during a call is collected and sent after the lock is
 * released, so no lock is held while a datagram goes out.
 *
 * <p><b>How it ends</b>, as {@link ConnectionClosedException#reason()} reports it:
 * {@code PEER_CLOSED} after the peer's CLOSE, once every reliable frame the CLOSE says was sent
 * before it has been delivered (and every delivered frame is read first); {@code LOST} after
 * {@code idleTimeout} without a datagram, when the peer's port is unreachable, when no send window
 * opened within the write deadline, when reliable frames overflowed the receive queue despite the
 * window (only a peer that ignores the window can make it), or when frames
 * the peer's CLOSE promised did not arrive within {@code closeLinger}; {@code LOCAL_CLOSE} after
 * {@link #close()}, which first waits up to {@code closeLinger} for everything sent to be
 * acknowledged (probing a few times on its own if the engine's probe timer is longer than that),
 * then sends CLOSE (three copies, so one lost datagram does not leave the peer to time out). A
 * second {@code close()} during that wait returns at once and does not shorten it.
 */
public final class UdpConnection implements Connection {

    /** CLOSE copies sent, so that a lossy link rarely loses all of them. */
    static final int CLOSE_COPIES = 3;
    /** A lingering close probes this many times per linger at most, whatever the engine's own probe timer says. */
    static final int LINGER_PROBES = 4;
    /** Bytes a queued frame is charged beyond its length, so empty frames cannot fill memory for free. */
    static final int FRAME_OVERHEAD_BYTES = ReliableEngine.UNREAD_OVERHEAD_BYTES;

    private static final System.Logger LOG = System.getLogger(UdpConnection.class.getName());

    /** How the connection ended; the first cause wins. */
    private record Ending(CloseReason reason, String detail) {
        ConnectionClosedException exception() {
            return new ConnectionClosedException(reason, detail);
        }
    }

    private final UdpEndpoint endpoint;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final long id;
    private final Delivery defaultDelivery;
    private final int maxFrameBytes;
    /** The engine's independent channels, which {@link OrderingKey}s map onto. */
    private final int channels;
    private final long idleNanos;
    private final long lingerNanos;
    private final long writeDeadlineNanos;
    private final int receiveQueueBytes;
    private final LongSupplier nanoClock;
    private final Consumer<UdpConnection> onRelease;

    /** Guards the engine and everything below it up to the inbox. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Wakes the timer when the engine's deadline moved earlier, or the connection was released. */
    private final Condition timerWake = lock.newCondition();
    /** Signalled after every engine call that may have opened the window or drained the engine. */
    private final Condition progress = lock.newCondition();
    private final ReliableEngine engine;
    private List<byte[]> outbox = new ArrayList<>();
    private long lastReceivedNanos;
    /** When the timer plans to wake; Long.MAX_VALUE while it runs or waits without a deadline. */
    private long timerPlannedAt = Long.MAX_VALUE;
    private boolean heardFromPeer;
    private boolean overflowed;
    /** What the peer's CLOSE said it sent, while some of it has not arrived yet; null otherwise. */
    private List<ReliableEngine.StreamCount> peerOffered;
    /** Until when this side waits for the rest of {@link #peerOffered}. */
    private long peerCloseDeadline;

    /** The delivered frames, with their own lock: filled by the engine's output, emptied by the reader. */
    private final ReentrantLock inboxLock = new ReentrantLock();
    private final Condition inboxChanged = inboxLock.newCondition();
    private final ArrayDeque<Delivered> inbox = new ArrayDeque<>();
    private long inboxBytes;
    /** Unreliable frames dropped because the reader let the queue fill (guarded by inboxLock). */
    private long unreadDropped;

    /** A frame waiting for the reader; reliable ones are counted by the engine until read. */
    private record Delivered(byte[] message, boolean reliable) {
    }

    private final AtomicReference<Ending> ending = new AtomicReference<>();
    private final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean peerSaidClose = new AtomicBoolean();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final Thread timer;

    /**
     * A connection whose handshake is done. Starts its timer at once.
     *
     * @param engineConfig the engine's configuration, packet budget and message cap already set
     * @param onRelease    called once when the connection is over (the listener forgets it, or the
     *                     client closes its socket)
     */
    UdpConnection(UdpEndpoint endpoint, SocketAddress remoteAddress, long id, UdpOptions options,
            EngineConfig engineConfig, long nowNanos, Consumer<UdpConnection> onRelease) {
        this.endpoint = endpoint;
        this.localAddress = endpoint.localAddress();
        this.remoteAddress = remoteAddress;
        this.id = id;
        this.defaultDelivery = options.delivery();
        this.maxFrameBytes = engineConfig.maxMessageBytes();
        this.channels = engineConfig.channels();
        this.idleNanos = options.idleTimeout().toNanos();
        this.lingerNanos = options.closeLinger().toNanos();
        this.writeDeadlineNanos = options.limits().writeDeadline().toNanos();
        this.receiveQueueBytes = options.receiveQueueBytes();
        this.nanoClock = options.nanoClock();
        this.onRelease = onRelease;
        this.lastReceivedNanos = nowNanos;
        this.engine = new ReliableEngine(engineConfig, new Output(), nowNanos);
        this.timer = Thread.ofVirtual().name("wirelab-udp-timer-" + remoteAddress).unstarted(this::timerLoop);
    }

    /** Starts the timer; called once the connection is reachable from the receive loop. */
    void start() {
        timer.start();
    }

    /** The connection id both ends put in every datagram's header. */
    long id() {
        return id;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** What is asked: UDP gives every delivery as it is, with the engine's largest message (capped by the framing). */
    @Override
    public Guarantees guarantees(Delivery requested) {
        Objects.requireNonNull(requested, "requested");
        return new Guarantees(requested, maxFrameBytes);
    }

    /** The delivery {@link #send(Frame)} uses: the transport's {@link UdpOptions#delivery()}. */
    public Delivery defaultDelivery() {
        return defaultDelivery;
    }

    /** Sends with the transport's default delivery ({@link UdpOptions#delivery()}). */
    @Override
    public void send(Frame frame) throws IOException {
        send(frame, defaultDelivery);
    }

    /** Sends with the transport's default delivery, on the channel {@code key} maps to. */
    @Override
    public void send(Frame frame, OrderingKey key) throws IOException {
        send(frame, defaultDelivery, key);
    }

    /**
     * Hands one frame to the reliability engine with {@code delivery}, then sends what the engine
     * transmits. Blocks while the engine's send window is full, at most the write deadline.
     *
     * @throws FrameTooLargeException     if the frame is over {@link Guarantees#maxFrameBytes()}; nothing was sent
     * @throws ConnectionClosedException if the connection has ended, or ended while waiting for the window
     */
    @Override
    public void send(Frame frame, Delivery delivery) throws IOException {
        send(frame, delivery, OrderingKey.CONNECTION);
    }

    /**
     * As {@link #send(Frame, Delivery)}, on the engine channel {@code key} maps to
     * ({@link OrderingKey#channel}): frames of other keys are not held back by a loss on this one.
     */
    @Override
    public void send(Frame frame, Delivery delivery, OrderingKey key) throws IOException {
        Objects.requireNonNull(frame, "frame");
        Objects.requireNonNull(delivery, "delivery");
        int channel = key.channel(channels);
        byte[] message = frame.bytes();
        if (message.length > maxFrameBytes) {
            throw new FrameTooLargeException(message.length, maxFrameBytes);
        }
        List<byte[]> datagrams;
        boolean stalled = false;
        lock.lock();
        try {
            long deadline = nanoClock.getAsLong() + writeDeadlineNanos;
            while (true) {
                Ending end = ending.get();
                if (end != null) {
                    throw end.exception();
                }
                long now = nanoClock.getAsLong();
                Offer offer = engine.send(message, delivery, channel, now);
                if (offer == Offer.ACCEPTED) {
                    break;
                }
                if (offer == Offer.TOO_LARGE) {
                    throw new FrameTooLargeException(message.length, maxFrameBytes);
                }
                long remaining = deadline - now;
                if (remaining <= 0) {
                    stalled = true;
                    break;
                }
                try {
                    progress.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the send window");
                }
            }
            datagrams = takeOutbox();
            wakeTimerIfEarlier();
        } finally {
            lock.unlock();
        }
        transmit(datagrams);
        if (stalled) {
            String detail = "the send window stayed closed for " + describe(writeDeadlineNanos);
            endLost(detail, true);
            throw new ConnectionClosedException(CloseReason.LOST, detail);
        }
        framesOut.incrementAndGet();
    }

    /**
     * The next delivered frame, waiting as long as it takes.
     *
     * @throws FrameTooLargeException     the peer's frame was over this side's limit and was skipped;
     *                                    the connection is still usable
     * @throws ConnectionClosedException at the end, once every frame delivered before it was read
     *                                    ({@code LOCAL_CLOSE} at once, without draining)
     */
    @Override
    public Frame receive() throws IOException {
        byte[] message;
        boolean reliable;
        inboxLock.lock();
        try {
            while (true) {
                Ending end = ending.get();
                if (end != null && end.reason() == CloseReason.LOCAL_CLOSE) {
                    throw end.exception();
                }
                Delivered next = inbox.pollFirst();
                if (next != null) {
                    message = next.message();
                    reliable = next.reliable();
                    inboxBytes -= message.length + FRAME_OVERHEAD_BYTES;
                    break;
                }
                if (end != null) {
                    throw end.exception();
                }
                try {
                    inboxChanged.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for a frame");
                }
            }
        } finally {
            inboxLock.unlock();
        }
        if (reliable) {
            consumed(message.length);
        }
        if (message.length > maxFrameBytes) {
            throw new FrameTooLargeException(message.length, maxFrameBytes);
        }
        framesIn.incrementAndGet();
        return new Frame(message);
    }

    /** Datagram bytes in and out (wirelab's header included), frames delivered and sent. */
    @Override
    public TrafficStats stats() {
        return new TrafficStats(bytesIn.get(), bytesOut.get(), framesIn.get(), framesOut.get());
    }

    /** Unreliable or sequenced frames dropped because the reader let the receive queue fill. */
    public long unreliableFramesDroppedUnread() {
        inboxLock.lock();
        try {
            return unreadDropped;
        } finally {
            inboxLock.unlock();
        }
    }

    /** The reliability engine's counters: retransmits, RTT, window and so on. */
    public EngineStats engineStats() {
        lock.lock();
        try {
            return engine.stats();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the connection gracefully: waits up to {@code closeLinger} for the peer to acknowledge
     * everything sent, then sends CLOSE, so every frame sent before the close reaches the peer's
     * reader before its {@code PEER_CLOSED} unless the link delivered nothing for the whole linger. A
     * reader blocked in {@link #receive} is woken at once with {@code LOCAL_CLOSE}.
     *
     * <p>Idempotent. A call made while another {@code close()} is still lingering returns at once and
     * leaves that one to finish, as TCP's {@code close} leaves the kernel to send what is buffered:
     * it must not cut the linger short, or the CLOSE would overtake frames the peer has not got yet.
     * (That happens whenever a handler closes from one thread, as a writer does after its last
     * frame, and the transport closes again when the handler returns.) A connection that already
     * ended otherwise just releases what it holds.
     */
    @Override
    public void close() {
        Ending local = new Ending(CloseReason.LOCAL_CLOSE, "connection closed");
        if (!ending.compareAndSet(null, local)) {
            if (ending.get().reason() != CloseReason.LOCAL_CLOSE) {
                release(); // LOST or PEER_CLOSED: already released by whoever ended it; harmless
            }
            return; // LOCAL_CLOSE: the first close() lingers, sends CLOSE and releases
        }
        wakeEveryone();
        lock.lock();
        try {
            long start = nanoClock.getAsLong();
            long deadline = start + lingerNanos;
            long probeEvery = Math.max(1, lingerNanos / LINGER_PROBES);
            long nextProbe = start + probeEvery;
            while (!released.get() && !peerSaidClose.get() && !engine.quiescent()) {
                long now = nanoClock.getAsLong();
                if (deadline - now <= 0) {
                    LOG.log(System.Logger.Level.DEBUG, "{0}: closing with data still unacknowledged", this);
                    break;
                }
                if (now - nextProbe >= 0) {
                    // The engine's probe timer may be longer than the linger (about 1 s before the first
                    // RTT sample, more once backed off): repair a lost tail within the linger anyway.
                    engine.probe(now);
                    nextProbe = now + probeEvery;
                    wakeTimerIfEarlier();
                    List<byte[]> probes = takeOutbox();
                    lock.unlock();
                    try {
                        transmit(probes);
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                progress.awaitNanos(Math.min(deadline, nextProbe) - now);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        if (!peerSaidClose.get()) {
            sendClose();
        }
        release();
    }

    @Override
    public String toString() {
        return "UdpConnection[" + localAddress + " -> " + remoteAddress + " #" + Long.toHexString(id) + "]";
    }

    // ------------------------------------------------------------------------------ from the receive loop

    /**
     * A datagram for this connection, its header already checked: DATA goes to the engine, CLOSE
     * ends the connection. {@code datagramBytes} is the whole
     * datagram's size, for the traffic counters.
     */
    void onDatagram(PacketHeader.Type type, byte[] buffer, int offset, int length, int datagramBytes, long now) {
        bytesIn.addAndGet(datagramBytes);
        switch (type) {
            case DATA -> onData(buffer, offset, length, now);
            case CLOSE -> onPeerClose(buffer, offset, length, now);
            default -> throw new IllegalArgumentException("not a connection datagram: " + type);
        }
    }

    /** The peer's port is unreachable (ICMP): it is gone. */
    void onUnreachable() {
        endLost("the peer's port is unreachable", false);
    }

    /** Whether the peer has sent DATA since the handshake (so it has the ACCEPT). */
    boolean heardFromPeer() {
        lock.lock();
        try {
            return heardFromPeer;
        } finally {
            lock.unlock();
        }
    }

    /** Counts handshake datagrams that belong to this connection (the HELLO that made it, an ACCEPT). */
    void countHandshake(long inBytes, long outBytes) {
        bytesIn.addAndGet(inBytes);
        bytesOut.addAndGet(outBytes);
    }

    /** Whether the connection is over and its resources let go. */
    boolean isReleased() {
        return released.get();
    }

    /** The socket this connection sends through; for tests (closing it kills the peer without a CLOSE). */
    UdpEndpoint endpoint() {
        return endpoint;
    }

    /** The timer thread, for tests. */
    Thread timerThread() {
        return timer;
    }

    private void onData(byte[] buffer, int offset, int length, long now) {
        List<byte[]> datagrams;
        boolean overflow;
        boolean complete;
        lock.lock();
        try {
            if (released.get()) {
                return;
            }
            lastReceivedNanos = now;
            heardFromPeer = true;
            engine.receive(buffer, offset, length, now);
            datagrams = takeOutbox();
            wakeTimerIfEarlier();
            progress.signalAll();
            overflow = overflowed;
            complete = peerOffered != null && engine.undelivered(peerOffered) == 0;
        } finally {
            lock.unlock();
        }
        transmit(datagrams);
        if (overflow) {
            endLost("the receive queue passed " + receiveQueueBytes + " bytes: the reader does not keep up", true);
        } else if (complete) {
            endPeerClosed(); // the last of what the peer sent before its CLOSE has arrived
        }
    }

    /**
     * The peer's CLOSE. If it says the peer sent reliable frames this side has not delivered yet
     * (overtaken by the CLOSE, or still being repaired when the peer's linger ran out), the
     * connection stays open for them up to {@code closeLinger}: it ends {@code PEER_CLOSED} as soon
     * as the last arrives, or {@code LOST} when the time is up. Otherwise it ends {@code PEER_CLOSED}
     * at once. Either way the reader gets every delivered frame first.
     */
    private void onPeerClose(byte[] buffer, int offset, int length, long now) {
        List<ReliableEngine.StreamCount> offered = CloseMessage.parse(buffer, offset, length).orElse(List.of());
        lock.lock();
        try {
            if (peerOffered != null) {
                return; // another copy of the CLOSE we are already waiting behind
            }
            long missing = engine.undelivered(offered);
            if (missing > 0 && ending.get() == null && !released.get()) {
                peerSaidClose.set(true); // a local close() now ends at once and sends no CLOSE back
                peerOffered = offered;
                peerCloseDeadline = now + lingerNanos;
                timerWake.signalAll();
                progress.signalAll();
                LOG.log(System.Logger.Level.DEBUG, "{0}: the peer closed; waiting for {1} frames still on the way",
                        this, missing);
                return;
            }
        } finally {
            lock.unlock();
        }
        endPeerClosed();
    }

    private void endPeerClosed() {
        peerSaidClose.set(true);
        if (ending.compareAndSet(null, new Ending(CloseReason.PEER_CLOSED, "peer closed the connection"))) {
            wakeEveryone();
        }
        release();
    }

    // ------------------------------------------------------------------------------ timer

    private void timerLoop() {
        String lost = null;
        lock.lock();
        try {
            while (!released.get()) {
                long now = nanoClock.getAsLong();
                if (now - lastReceivedNanos >= idleNanos) {
                    lost = "nothing received for " + describe(idleNanos);
                    break;
                }
                if (peerOffered != null && now - peerCloseDeadline >= 0) {
                    long missing = engine.undelivered(peerOffered);
                    lost = "the peer closed, and " + missing + (missing == 1 ? " frame" : " frames")
                            + " it sent before that did not arrive within " + describe(lingerNanos);
                    break;
                }
                long engineDeadline = engine.nextDeadlineNanos();
                if (engineDeadline != Long.MAX_VALUE && now - engineDeadline >= 0) {
                    engine.tick(now);
                    progress.signalAll();
                }
                if (!outbox.isEmpty()) {
                    List<byte[]> datagrams = takeOutbox();
                    lock.unlock();
                    try {
                        transmit(datagrams);
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                long wait = lastReceivedNanos + idleNanos - now;
                if (peerOffered != null) {
                    wait = Math.min(wait, peerCloseDeadline - now);
                }
                engineDeadline = engine.nextDeadlineNanos();
                if (engineDeadline != Long.MAX_VALUE) {
                    wait = Math.min(wait, engineDeadline - now);
                }
                if (wait > 0) {
                    timerPlannedAt = now + wait;
                    try {
                        timerWake.awaitNanos(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        lost = "the timer was interrupted";
                        break;
                    } finally {
                        timerPlannedAt = Long.MAX_VALUE;
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, this + ": the timer failed", e);
            lost = "the timer failed: " + e;
        } finally {
            lock.unlock();
        }
        if (lost != null) {
            endLost(lost, false);
        }
    }

    /** Called under the lock after an engine call: wakes the timer if the engine now wants it sooner. */
    private void wakeTimerIfEarlier() {
        long deadline = engine.nextDeadlineNanos();
        if (deadline != Long.MAX_VALUE && (timerPlannedAt == Long.MAX_VALUE || deadline - timerPlannedAt < 0)) {
            timerWake.signal();
        }
    }

    // ------------------------------------------------------------------------------ endings

    private void endLost(String detail, boolean sayClose) {
        if (ending.compareAndSet(null, new Ending(CloseReason.LOST, detail))) {
            LOG.log(System.Logger.Level.INFO, "{0} lost: {1}", this, detail);
            wakeEveryone();
            if (sayClose) {
                sendClose();
            }
        }
        release();
    }

    /** Sends CLOSE, telling the peer how many reliable frames were sent, so it knows whether it has them all. */
    private void sendClose() {
        List<ReliableEngine.StreamCount> offered;
        lock.lock();
        try {
            offered = engine.reliableOffered();
        } finally {
            lock.unlock();
        }
        byte[] close = CloseMessage.encode(id, offered);
        List<byte[]> copies = new ArrayList<>(CLOSE_COPIES);
        for (int i = 0; i < CLOSE_COPIES; i++) {
            copies.add(close);
        }
        transmit(copies);
    }

    /** Stops the timer and hands the connection back to its owner. Idempotent. */
    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        lock.lock();
        try {
            timerWake.signalAll();
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            onRelease.accept(this);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, this + ": releasing failed", e);
        }
    }

    private void wakeEveryone() {
        inboxLock.lock();
        try {
            inboxChanged.signalAll();
        } finally {
            inboxLock.unlock();
        }
        lock.lock();
        try {
            progress.signalAll();
            timerWake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------------------ output

    /** Under the lock: what the engine transmitted since the last call, each datagram ready to send. */
    private List<byte[]> takeOutbox() {
        if (outbox.isEmpty()) {
            return List.of();
        }
        List<byte[]> taken = outbox;
        outbox = new ArrayList<>();
        return taken;
    }

    /** Outside the lock: sends datagrams to the peer. */
    private void transmit(List<byte[]> datagrams) {
        for (byte[] datagram : datagrams) {
            bytesOut.addAndGet(datagram.length);
            endpoint.send(datagram, remoteAddress);
        }
    }

    /** Tells the engine the reader took a frame, and sends the window update that may cause. */
    private void consumed(int bytes) {
        List<byte[]> datagrams;
        lock.lock();
        try {
            if (released.get()) {
                return;
            }
            engine.consumed(bytes, nanoClock.getAsLong());
            datagrams = takeOutbox();
            wakeTimerIfEarlier();
        } finally {
            lock.unlock();
        }
        transmit(datagrams);
    }

    /** Called by the engine, always under {@link #lock}. */
    private final class Output implements EngineOutput {
        @Override
        public long unreadLimitBytes() {
            return receiveQueueBytes;
        }

        @Override
        public void transmit(byte[] packet) {
            outbox.add(PacketHeader.encode(PacketHeader.Type.DATA, id, packet));
        }

        @Override
        public void deliver(Delivery delivery, int channel, byte[] message) {
            inboxLock.lock();
            try {
                if (ending.get() != null) {
                    return; // nobody will read it
                }
                long cost = message.length + FRAME_OVERHEAD_BYTES;
                boolean reliable = delivery.reliable();
                // The window the engine advertises holds reliable frames to receiveQueueBytes and one
                // message more; unreliable ones are dropped past the limit. More than both together
                // means the peer ignores the window.
                long cap = reliable ? 2L * receiveQueueBytes + maxFrameBytes + 2L * FRAME_OVERHEAD_BYTES
                        : receiveQueueBytes;
                if (!inbox.isEmpty() && inboxBytes + cost > cap) {
                    if (reliable) {
                        overflowed = true;
                    } else {
                        unreadDropped++; // what an unreliable mode allows: it may be dropped
                    }
                    return;
                }
                inbox.addLast(new Delivered(message, reliable));
                inboxBytes += cost;
                inboxChanged.signal();
            } finally {
                inboxLock.unlock();
            }
        }
    }

    static String describe(long nanos) {
        long millis = nanos / 1_000_000;
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
