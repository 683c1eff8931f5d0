package dev.wirelab.transport;

import dev.wirelab.protocol.Framing;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * A reliable stream transport (TCP, memory) behind a bad network: every connection it makes or
 * accepts applies an {@link Impairment} to the frames it <em>sends</em>, through a
 * {@link StreamModel}. Wrap both ends to impair both directions.
 *
 * <pre>{@code
 * Transport tcp = ImpairedTransport.wrap(TcpTransport.create(), Impairment.parse("loss=2%,delay=20ms,seed=7"));
 * ChatServer server = ChatServer.start(tcp, codec, address, config);   // its replies arrive 20 ms late,
 *                                                                    // and 2% of them stall 200 ms
 * }</pre>
 *
 * <p><b>What the knobs mean on a stream.</b> A reliable stream delivers every byte once and in order,
 * so nothing is dropped, duplicated or reordered here: frames keep their order; each is held back by
 * {@code delay} plus up to {@code jitter} (never overtaking an earlier one) and throttled by
 * {@code rate}; {@code loss} becomes a <b>stall</b>, the frame arriving one RTO
 * ({@code max(200 ms, 2 x delay)}) late with every frame behind it waiting (head-of-line blocking,
 * what TCP's retransmission costs); {@code reset} closes the connection abruptly ({@code LOST}).
 * {@code duplicate}, {@code reorder} and {@code corrupt} do not apply (TCP repairs them) and are
 * ignored, with one log line when the transport is wrapped. When nothing applies, connections are
 * the delegate's own, untouched. Details in {@link StreamModel} and {@code docs/impairments.md}.
 *
 * <p><b>Threads.</b> {@code send} returns once the frame is queued (it blocks only while the
 * connection's queue is full: back-pressure); a virtual thread per connection sends each frame
 * through the delegate at its due time. {@code receive}, {@code stats} and {@code guarantees} are the
 * delegate's. {@code close} lets frames already sent go out at their due time (for at most
 * {@link #CLOSE_LINGER}) before closing the delegate, as a socket does with its send buffer; an
 * accepted connection's handler is likewise drained when it returns.
 *
 * <p><b>Determinism.</b> Each connection gets its own {@link StreamModel}, built from the shared
 * generator (seven longs each, in the order connections are made), so which frames stall or reset
 * depends only on the seed, the connection's place in that order, and the frame's position in its
 * connection. The first connection stalls exactly the frames a {@link LinkModel} with the same
 * impairment would lose.
 */
public final class ImpairedTransport implements Transport {

    /** How long frames already sent may still go out after {@code close}; the rest are dropped. */
    public static final Duration CLOSE_LINGER = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(ImpairedTransport.class.getName());

    private final Transport delegate;
    private final Impairment impairment;
    private final LongSupplier nanoClock;
    private final RandomGenerator random;
    private final ReentrantLock randomLock = new ReentrantLock();
    private final boolean applies;

    private ImpairedTransport(Transport delegate, Impairment impairment, LongSupplier nanoClock, RandomGenerator random) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.impairment = Objects.requireNonNull(impairment, "impairment");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.random = Objects.requireNonNull(random, "random");
        this.applies = StreamModel.affectsStreams(impairment);
        String ignored = StreamModel.ignoredOnStreams(impairment);
        if (!ignored.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "{0} ignored on {1}: a reliable stream repairs duplication, "
                    + "reordering and corruption (loss becomes a stall)", ignored, delegate.name());
        }
    }

    /**
     * Wraps {@code delegate} so its connections impair what they send, on the system nano clock,
     * with draws seeded by the impairment's seed.
     */
    public static ImpairedTransport wrap(Transport delegate, Impairment impairment) {
        Objects.requireNonNull(impairment, "impairment");
        return new ImpairedTransport(delegate, impairment, System::nanoTime, impairment.newRandom());
    }

    /**
     * Wraps {@code delegate} with an injected nano clock (it must advance with real time: frames wait
     * for it) and a generator that seeds each connection's model.
     */
    public static ImpairedTransport wrap(Transport delegate, Impairment impairment, LongSupplier nanoClock,
            RandomGenerator random) {
        return new ImpairedTransport(delegate, impairment, nanoClock, random);
    }

    /** The delegate's name: an impaired TCP transport is still {@code tcp}. */
    @Override
    public String name() {
        return delegate.name();
    }

    /** The transport underneath. */
    public Transport delegate() {
        return delegate;
    }

    /** What every connection does to what it sends. */
    public Impairment impairment() {
        return impairment;
    }

    @Override
    public Listener listen(SocketAddress local, Framing framing, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(handler, "handler");
        if (!applies) {
            return delegate.listen(local, framing, handler);
        }
        return delegate.listen(local, framing, connection -> {
            ImpairedConnection impaired = impair(connection, framing);
            try {
                handler.serve(impaired);
            } finally {
                impaired.closeAndDrain(); // before the delegate closes the connection under us
            }
        });
    }

    @Override
    public Connection connect(SocketAddress remote, Framing framing) throws IOException {
        Objects.requireNonNull(framing, "framing");
        Connection connection = delegate.connect(remote, framing);
        return applies ? impair(connection, framing) : connection;
    }

    private ImpairedConnection impair(Connection connection, Framing framing) {
        StreamModel model;
        randomLock.lock();
        try {
            model = new StreamModel(impairment, random);
        } finally {
            randomLock.unlock();
        }
        return new ImpairedConnection(connection, framing, model, nanoClock);
    }

    @Override
    public String toString() {
        return "ImpairedTransport[" + delegate.name() + " with " + impairment.toSpec() + "]";
    }
}
