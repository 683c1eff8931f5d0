package dev.wirelab.lab;

import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.LinkModel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The UDP side of {@code wirelab impair}: datagrams from clients to a server and back, each through
 * a {@link LinkModel}.
 *
 * <pre>
 *  client A ──┐                 ┌── upstream socket for A ──┐
 *  client B ──┼── front socket ─┼── upstream socket for B ──┼── server
 *             │  (--listen)     │   (connected to --to)     │
 *              toward the server: LinkModel(seed)      toward the clients: LinkModel(seed + 1)
 * </pre>
 *
 * <ul>
 *   <li>One {@link DatagramChannel} listens. Each client source address gets its own upstream
 *       channel, connected to the server, so the server sees one distinct peer per client, as it
 *       would without the relay. A mapping idle (nothing either way) for the idle timeout, 60 s by
 *       default, is closed.</li>
 *   <li>Each direction has one {@link LinkModel} for all clients, as one bad link would; its
 *       arrivals are delivered at their time by a {@link Timeline} (one virtual thread per
 *       direction). Which datagrams are lost, duplicated, held back or corrupted depends only on
 *       the seed and the datagram's position in its direction's sequence.</li>
 *   <li>Receive buffers hold 64 KiB + 1 bytes: no UDP datagram is truncated.</li>
 * </ul>
 *
 * <p>Threads: one virtual thread reads the front socket, one per mapping reads its upstream socket,
 * one per direction delivers, and one daemon thread expires idle mappings.
 */
final class UdpRelay implements Relay {

    /** Larger than any UDP payload (65,507 B over IPv4), so nothing is ever cut. */
    static final int BUFFER_BYTES = 64 * 1024 + 1;

    /** A client silent this long, both ways, loses its mapping (and its upstream socket). */
    static final Duration IDLE_TIMEOUT_DEFAULT = Duration.ofSeconds(60);

    /** Datagrams in flight per direction; beyond this a datagram is dropped (counted as lost). */
    static final int IN_FLIGHT_MAX = 100_000;

    private static final System.Logger LOG = System.getLogger(UdpRelay.class.getName());

    /** Counts for one direction, beyond what its link model counts. */
    private static final class Counts {
        final AtomicLong passed = new AtomicLong();
        final AtomicLong passedBytes = new AtomicLong();
        final AtomicLong overflow = new AtomicLong();
    }

    /** One client: its address and its own socket toward the server. */
    private final class Mapping {
        final SocketAddress client;
        final DatagramChannel upstream;
        volatile long lastActive;

        Mapping(SocketAddress client, DatagramChannel upstream) {
            this.client = client;
            this.upstream = upstream;
            this.lastActive = clock.getAsLong();
        }

        void close() {
            try {
                upstream.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the upstream socket of {0}: {1}", client, e);
            }
        }
    }

    private final DatagramChannel front;
    private final InetSocketAddress localAddress;
    private final InetSocketAddress server;
    private final LinkModel toServer;
    private final LinkModel toClient;
    private final ReentrantLock toClientLock = new ReentrantLock();
    private final Timeline toServerLine;
    private final Timeline toClientLine;
    private final Counts up = new Counts();
    private final Counts down = new Counts();
    private final ConcurrentMap<SocketAddress, Mapping> mappings = new ConcurrentHashMap<>();
    private final AtomicLong clients = new AtomicLong();
    private final LongSupplier clock;
    private final long idleNanos;
    private final ScheduledExecutorService sweeper;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread frontLoop;

    private UdpRelay(DatagramChannel front, InetSocketAddress server, Impairment toServer, Impairment toClient,
            LongSupplier clock, Duration idleTimeout) throws IOException {
        this.front = front;
        this.localAddress = (InetSocketAddress) front.getLocalAddress();
        this.server = server;
        this.toServer = new LinkModel(toServer);
        this.toClient = new LinkModel(toClient);
        this.clock = clock;
        this.idleNanos = idleTimeout.toNanos();
        this.toServerLine = new Timeline("wirelab-impair-udp-to-server", clock, IN_FLIGHT_MAX);
        this.toClientLine = new Timeline("wirelab-impair-udp-to-client", clock, IN_FLIGHT_MAX);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("wirelab-impair-udp-idle").factory());
        long sweepMillis = Math.max(10, idleTimeout.toMillis() / 4);
        sweeper.scheduleWithFixedDelay(this::expireIdle, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        this.frontLoop = Thread.ofVirtual().name("wirelab-impair-udp-front").start(this::readFront);
    }

    /**
     * Binds {@code listen} and starts relaying to {@code server}.
     *
     * @param toServer    what happens to datagrams from clients
     * @param toClient    what happens to datagrams from the server (give it another seed)
     * @param clock       the nano clock arrivals are scheduled on
     * @param idleTimeout how long a silent client keeps its mapping
     * @throws IOException if {@code listen} cannot be bound
     */
    static UdpRelay start(InetSocketAddress listen, InetSocketAddress server, Impairment toServer,
            Impairment toClient, LongSupplier clock, Duration idleTimeout) throws IOException {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(toServer, "toServer");
        Objects.requireNonNull(toClient, "toClient");
        Objects.requireNonNull(clock, "clock");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
        DatagramChannel front = DatagramChannel.open();
        try {
            front.bind(listen);
            return new UdpRelay(front, server, toServer, toClient, clock, idleTimeout);
        } catch (IOException | RuntimeException e) {
            front.close();
            throw e;
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Clients with a mapping now. */
    int mappings() {
        return mappings.size();
    }

    /** What the link toward the server has done so far. */
    LinkModel.LinkStats toServerStats() {
        return toServer.stats();
    }

    /** What the link toward the clients has done so far. */
    LinkModel.LinkStats toClientStats() {
        return toClient.stats();
    }

    @Override
    public String statusLine() {
        return String.format(Locale.ROOT, "udp: to server %s; to client %s; %d client(s) now, %d in all",
                direction(toServer.stats(), up), direction(toClient.stats(), down), mappings.size(), clients.get());
    }

    private static String direction(LinkModel.LinkStats link, Counts counts) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%d passed (%d B), %d lost, %d duplicated",
                counts.passed.get(), counts.passedBytes.get(),
                link.lost() + link.tailDropped() + counts.overflow.get(), link.duplicated()));
        if (link.corrupted() > 0) {
            line.append(", ").append(link.corrupted()).append(" corrupted");
        }
        if (link.reordered() > 0) {
            line.append(", ").append(link.reordered()).append(" held back");
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sweeper.shutdownNow();
        try {
            front.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the front socket: {0}", e);
        }
        toServerLine.close();
        toClientLine.close();
        for (Mapping mapping : mappings.values()) {
            mapping.close();
        }
        mappings.clear();
        try {
            frontLoop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readFront() {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        while (!closed.get()) {
            buffer.clear();
            SocketAddress from;
            try {
                from = front.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!front.isOpen()) {
                    return;
                }
                LOG.log(System.Logger.Level.DEBUG, "front socket: {0}", e);
                continue;
            }
            buffer.flip();
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(datagram);
            Mapping mapping;
            try {
                mapping = mappingFor(from);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot open a socket toward " + server + " for " + from, e);
                continue;
            }
            mapping.lastActive = clock.getAsLong();
            // Only this thread sends toward the server, so that link needs no lock.
            List<LinkModel.Arrival> arrivals = toServer.send(datagram, clock.getAsLong());
            for (LinkModel.Arrival arrival : arrivals) {
                boolean scheduled = toServerLine.schedule(arrival.atNanos(), () -> {
                    mapping.upstream.write(ByteBuffer.wrap(arrival.bytes()));
                    up.passed.incrementAndGet();
                    up.passedBytes.addAndGet(arrival.bytes().length);
                });
                if (!scheduled) {
                    up.overflow.incrementAndGet();
                }
            }
        }
    }

    private Mapping mappingFor(SocketAddress client) throws IOException {
        Mapping mapping = mappings.get(client);
        if (mapping != null && mapping.upstream.isOpen()) {
            return mapping;
        }
        DatagramChannel upstream = DatagramChannel.open();
        try {
            upstream.connect(server);
        } catch (IOException | RuntimeException e) {
            upstream.close();
            throw e;
        }
        Mapping created = new Mapping(client, upstream);
        mappings.put(client, created);
        clients.incrementAndGet();
        LOG.log(System.Logger.Level.INFO, () -> "new client " + HostPort.format(client) + ", relayed from "
                + localPort(upstream));
        Thread.ofVirtual().name("wirelab-impair-udp-" + client).start(() -> readUpstream(created));
        return created;
    }

    private static String localPort(DatagramChannel channel) {
        try {
            return HostPort.format(channel.getLocalAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    private void readUpstream(Mapping mapping) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        while (mapping.upstream.isOpen()) {
            buffer.clear();
            try {
                mapping.upstream.receive(buffer);
            } catch (PortUnreachableException e) {
                continue; // the server is not (yet) there: ICMP port unreachable, as without a relay
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!mapping.upstream.isOpen()) {
                    return;
                }
                LOG.log(System.Logger.Level.DEBUG, "upstream socket of {0}: {1}", mapping.client, e);
                continue;
            }
            buffer.flip();
            byte[] datagram = new byte[buffer.remaining()];
            buffer.get(datagram);
            mapping.lastActive = clock.getAsLong();
            List<LinkModel.Arrival> arrivals;
            toClientLock.lock();
            try {
                arrivals = toClient.send(datagram, clock.getAsLong());
            } finally {
                toClientLock.unlock();
            }
            for (LinkModel.Arrival arrival : arrivals) {
                boolean scheduled = toClientLine.schedule(arrival.atNanos(), () -> {
                    front.send(ByteBuffer.wrap(arrival.bytes()), mapping.client);
                    down.passed.incrementAndGet();
                    down.passedBytes.addAndGet(arrival.bytes().length);
                });
                if (!scheduled) {
                    down.overflow.incrementAndGet();
                }
            }
        }
    }

    private void expireIdle() {
        long now = clock.getAsLong();
        for (Mapping mapping : mappings.values()) {
            if (now - mapping.lastActive > idleNanos && mappings.remove(mapping.client, mapping)) {
                LOG.log(System.Logger.Level.INFO, () -> "client " + HostPort.format(mapping.client)
                        + " idle for " + Duration.ofNanos(idleNanos).toMillis() + " ms: mapping closed");
                mapping.close();
            }
        }
    }
}
