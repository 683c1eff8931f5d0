package dev.wirelab.transport.udp;

import dev.wirelab.protocol.Framing;
import dev.wirelab.transport.ConnectionHandler;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Listener;
import dev.wirelab.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * Frames over UDP: a stateless cookie handshake, then a {@link ReliableEngine} per connection that
 * gives each frame the {@link Delivery} asked of it, over the JDK's blocking
 * {@link DatagramChannel} on virtual threads.
 *
 * <pre>{@code
 * UdpTransport udp = UdpTransport.create(UdpOptions.defaults().withProfile("kcp-turbo"));
 * try (Listener listener = udp.listen(new InetSocketAddress(0), codec.framing(), connection -> {
 *     while (true) {
 *         connection.send(connection.receive());            // echo until the peer leaves
 *     }
 * })) {
 *     try (Connection client = udp.connect(listener.localAddress(), codec.framing())) { ... }
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> Each socket (one per listener, one per client connection) has one receive
 * loop on a virtual thread, which demultiplexes datagrams to connections by connection id. Each
 * connection has one timer virtual thread (see {@link UdpConnection}); each accepted connection is
 * served by the {@link ConnectionHandler} on a virtual thread of its own, and the transport closes
 * it when the handler returns or throws. With an impairment, each socket also has a virtual
 * thread that sends delayed datagrams. This class is thread-safe.
 *
 * <p><b>Guarantees.</b> UDP gives what is asked: {@code guarantees(d)} is {@code d}, with the
 * largest frame the engine carries (fragmented into datagrams of at most
 * {@link dev.wirelab.protocol.Limits#udpMaxDatagramBytes()}), capped by the framing's limit. The
 * framing is otherwise unused: one engine message is one frame.
 *
 * <p><b>Bad input</b> gets no reply at all, ever; see {@link UdpListener} and {@link #counters()}.
 * The wire format is specified in {@code docs/protocol-udp.md}.
 */
public final class UdpTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(UdpTransport.class.getName());

    private final UdpOptions options;
    private final UdpMetrics metrics = new UdpMetrics();
    private final ReentrantLock randomLock = new ReentrantLock();
    private final RandomGenerator random;
    private final AtomicInteger activeHandlers = new AtomicInteger();

    private UdpTransport(UdpOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.random = new LockedRandom(options.random(), randomLock);
    }

    /** A UDP transport with {@link UdpOptions#defaults()}. */
    public static UdpTransport create() {
        return create(UdpOptions.defaults());
    }

    /** A UDP transport with {@code options}. */
    public static UdpTransport create(UdpOptions options) {
        return new UdpTransport(options);
    }

    /** {@code udp}. */
    @Override
    public String name() {
        return "udp";
    }

    /** The options this transport runs with. */
    public UdpOptions options() {
        return options;
    }

    /** What every socket of this transport has seen and done so far, dropped datagrams by reason included. */
    public UdpCounters counters() {
        return metrics.snapshot();
    }

    /**
     * Binds a UDP socket at {@code local} (port 0 picks a free port) and starts its receive loop.
     * Only {@link Framing#maxFrameBytes()} of {@code framing} is used.
     *
     * @throws IOException if the address cannot be bound
     */
    @Override
    public Listener listen(SocketAddress local, Framing framing, ConnectionHandler handler) throws IOException {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(framing, "framing");
        Objects.requireNonNull(handler, "handler");
        DatagramChannel channel = DatagramChannel.open();
        UdpEndpoint endpoint;
        try {
            channel.bind(local);
            endpoint = new UdpEndpoint(channel, options.limits().udpMaxDatagramBytes(), options.impairment(),
                    options.nanoClock(), metrics, "wirelab-udp-listen-" + ((InetSocketAddress) channel.getLocalAddress()).getPort());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        UdpListener listener = new UdpListener(this, endpoint, handler, options, engineConfig(framing), metrics);
        endpoint.start(listener);
        return listener;
    }

    /**
     * Runs the handshake with a listener at {@code remote} from a socket of its own.
     *
     * @throws java.net.ConnectException if nothing listens there (ICMP port unreachable) or nothing
     *                                   answered within {@link UdpOptions#handshakeTimeout()}
     */
    @Override
    public UdpConnection connect(SocketAddress remote, Framing framing) throws IOException {
        Objects.requireNonNull(remote, "remote");
        Objects.requireNonNull(framing, "framing");
        if (!(remote instanceof InetSocketAddress inet)) {
            throw new IllegalArgumentException("not an internet address: " + remote);
        }
        if (inet.isUnresolved()) {
            throw new UnknownHostException(inet.getHostString());
        }
        DatagramChannel channel = DatagramChannel.open();
        UdpEndpoint endpoint;
        try {
            // Connected, so the kernel reports ICMP "port unreachable" and filters other senders.
            channel.connect(inet);
            endpoint = new UdpEndpoint(channel, options.limits().udpMaxDatagramBytes(), options.impairment(),
                    options.nanoClock(), metrics, "wirelab-udp-client-" + ((InetSocketAddress) channel.getLocalAddress()).getPort());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        HandshakeClient handshake = new HandshakeClient(this, endpoint, inet, options, engineConfig(framing), metrics,
                random.nextLong());
        endpoint.start(handshake);
        return handshake.await();
    }

    @Override
    public String toString() {
        return "UdpTransport[" + options.engine().name() + ", " + options.delivery() + ", impairment "
                + options.impairment().toSpec() + "]";
    }

    /** Handlers running right now; for tests. */
    int activeHandlers() {
        return activeHandlers.get();
    }

    /**
     * The engine configuration for connections carrying {@code framing}: the profile's, with the
     * packet budget the datagram limit leaves behind the header, the message size capped by the
     * framing's limit, and the keepalive of {@link UdpOptions#keepaliveInterval()}.
     */
    EngineConfig engineConfig(Framing framing) {
        EngineConfig engine = options.engine();
        int packet = Math.min(options.limits().udpMaxDatagramBytes() - PacketHeader.BYTES,
                EngineConfig.MAX_PACKET_BYTES_MAX);
        return engine.withMaxPacketBytes(packet)
                .withMaxMessageBytes(Math.min(engine.maxMessageBytes(), framing.maxFrameBytes()))
                .withKeepAlive(options.keepaliveInterval());
    }

    /** The generator for ids, nonces and cookie secrets; calls are serialised. */
    RandomGenerator random() {
        return random;
    }

    /** A random connection id: never 0, never one in use. */
    long newConnectionId(Set<Long> taken) {
        while (true) {
            long id = random.nextLong();
            if (id != 0 && !taken.contains(id)) {
                return id;
            }
        }
    }

    /** Serves an accepted connection on a virtual thread of its own, and closes it when the handler is done. */
    void serve(UdpConnection connection, ConnectionHandler handler) {
        activeHandlers.incrementAndGet();
        try {
            Thread.ofVirtual().name("wirelab-udp-" + connection.remoteAddress()).start(() -> run(connection, handler));
        } catch (RuntimeException e) {
            activeHandlers.decrementAndGet();
            connection.close();
            LOG.log(System.Logger.Level.WARNING, "could not start a thread for " + connection, e);
        }
    }

    private void run(UdpConnection connection, ConnectionHandler handler) {
        try {
            ConnectionHandler.serveThenClose(handler, connection, LOG);
        } finally {
            activeHandlers.decrementAndGet();
        }
    }

    /** A generator whose every draw is made under a lock, so one seeded generator can serve many threads. */
    private record LockedRandom(RandomGenerator delegate, ReentrantLock lock) implements RandomGenerator {
        @Override
        public long nextLong() {
            lock.lock();
            try {
                return delegate.nextLong();
            } finally {
                lock.unlock();
            }
        }
    }
}
