package dev.wirelab.transport.udp;

import dev.wirelab.transport.ConnectionHandler;
import dev.wirelab.transport.Listener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bound UDP socket that accepts peers: the server half of the handshake, and the demultiplexer
 * that hands every datagram to its connection by connection id.
 *
 * <p><b>What it answers.</b> Only two things are ever sent in reply to a datagram, both to a
 * well-formed HELLO padded to at least 1200 bytes: a COOKIE (36 bytes) when the HELLO carries no
 * cookie, and an ACCEPT (24 bytes) when it carries a valid one. Both are rate-limited per source
 * IP and globally. Everything else (garbage, wrong magic or version, bad checksums, forged or stale
 * cookies, unknown ids, a known id from another address, replies such as COOKIE or ACCEPT sent to
 * the server) is dropped without a word and counted in {@link UdpCounters#dropped()}.
 *
 * <p><b>State.</b> No per-client state exists until a HELLO returns a valid cookie (the rate
 * limiter is a fixed table). Then the listener creates the connection (a random 64-bit id), sends
 * ACCEPT and starts the handler on a virtual thread of its own. It remembers the (address, nonce) of
 * each handshake for two cookie lifetimes, so a second copy of the same HELLO earns the same ACCEPT
 * again while the client has not been heard from (its ACCEPT may have been lost), and nothing once
 * it has: a replayed HELLO never makes a second connection.
 *
 * <p><b>Addresses.</b> A connection is bound to the address its handshake came from: DATA with a
 * known id from elsewhere is dropped ({@link UdpDrop#WRONG_ADDRESS}). Connection migration (a NAT
 * rebinding the client's port) is not supported; such a client times out and reconnects.
 *
 * <p><b>Threads.</b> Everything here runs on the socket's receive loop, except {@link #close} and
 * the connections' release callbacks. Closing the listener stops accepting; the socket stays open
 * for the connections already made and closes with the last of them.
 */
final class UdpListener implements Listener, UdpEndpoint.Receiver {

    private static final System.Logger LOG = System.getLogger(UdpListener.class.getName());
    /** Handshakes remembered at most, oldest forgotten first. */
    static final int HANDSHAKES_REMEMBERED = 65_536;
    /** Ids of ended connections remembered at most, so their late datagrams are told from unknown ones. */
    static final int CLOSED_REMEMBERED = 4096;

    private record HandshakeKey(InetSocketAddress address, long nonce) {
    }

    private record Handshake(long connectionId, long expiresNanos) {
    }

    private final UdpTransport transport;
    private final UdpEndpoint endpoint;
    private final ConnectionHandler handler;
    private final UdpOptions options;
    private final EngineConfig engineConfig;
    private final UdpMetrics metrics;
    private final CookieJar cookies;
    private final HandshakeRateLimit rateLimit;
    private final int helloMinBytes;
    private final long handshakeMemoryNanos;
    private final long closedMemoryNanos;
    private final Map<Long, UdpConnection> connections = new ConcurrentHashMap<>();
    private final Map<Long, Long> recentlyClosed = new ConcurrentHashMap<>();
    /** Touched by the receive loop only. */
    private final LinkedHashMap<HandshakeKey, Handshake> handshakes = new LinkedHashMap<>();
    /** Orders "accepting" against "no connections left", so the socket closes exactly once, at the right time. */
    private final ReentrantLock stateLock = new ReentrantLock();
    private boolean accepting = true;

    UdpListener(UdpTransport transport, UdpEndpoint endpoint, ConnectionHandler handler, UdpOptions options,
            EngineConfig engineConfig, UdpMetrics metrics) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.handler = handler;
        this.options = options;
        this.engineConfig = engineConfig;
        this.metrics = metrics;
        this.cookies = new CookieJar(options.clock(), transport.random(), options.cookieLifetime());
        this.rateLimit = new HandshakeRateLimit(options.cookiesPerSecondPerSource(), options.cookiesPerSecondPerSource(),
                options.cookiesPerSecond(), options.cookiesPerSecond(), options.nanoClock());
        this.helloMinBytes = HandshakeMessages.helloBytes(options.limits().udpMaxDatagramBytes());
        this.handshakeMemoryNanos = 2 * options.cookieLifetime().toNanos();
        this.closedMemoryNanos = Math.max(options.idleTimeout().toNanos(), 2 * options.closeLinger().toNanos());
    }

    @Override
    public SocketAddress localAddress() {
        return endpoint.localAddress();
    }

    /** Stops accepting; the socket closes now if no connection is open, else with the last one. Idempotent. */
    @Override
    public void close() {
        boolean closeSocket;
        stateLock.lock();
        try {
            accepting = false;
            closeSocket = connections.isEmpty();
        } finally {
            stateLock.unlock();
        }
        if (closeSocket) {
            endpoint.close();
        }
    }

    /** Connections open right now; for tests. */
    int openConnections() {
        return connections.size();
    }

    /** The socket; for tests. */
    UdpEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public String toString() {
        return "UdpListener[" + endpoint.localAddress() + "]";
    }

    // ------------------------------------------------------------------------------ receive loop

    @Override
    public void onDatagram(byte[] buffer, int length, InetSocketAddress from, long now) {
        PacketHeader.Parsed header;
        switch (PacketHeader.parse(buffer, length)) {
            case PacketHeader.Result.Drop drop -> {
                metrics.drop(drop.reason(), from);
                return;
            }
            case PacketHeader.Result.Ok ok -> header = ok.parsed();
        }
        switch (header.type()) {
            case HELLO -> onHello(header, buffer, length, from, now);
            case DATA, CLOSE -> {
                UdpConnection connection = connections.get(header.connectionId());
                if (connection == null) {
                    metrics.drop(recentlyClosed.containsKey(header.connectionId())
                            ? UdpDrop.CLOSED_CONNECTION : UdpDrop.UNKNOWN_CONNECTION, from);
                } else if (!connection.remoteAddress().equals(from)) {
                    metrics.drop(UdpDrop.WRONG_ADDRESS, from);
                } else {
                    connection.onDatagram(header.type(), buffer, header.payloadOffset(), header.payloadLength(),
                            length, now);
                }
            }
            // A reply sent to a server is never answered: that is how loops between servers start.
            case COOKIE, ACCEPT -> metrics.drop(UdpDrop.UNEXPECTED_TYPE, from);
        }
    }

    @Override
    public void onUnreachable(IOException cause) {
        // An unconnected socket is not told of ICMP errors by the JDK; nothing to do.
    }

    @Override
    public void onClosed() {
        LOG.log(System.Logger.Level.DEBUG, "{0}: socket closed", this);
    }

    private void onHello(PacketHeader.Parsed header, byte[] buffer, int length, InetSocketAddress from, long now) {
        if (length < helloMinBytes) {
            metrics.drop(UdpDrop.HELLO_NOT_PADDED, from);
            return;
        }
        if (!isAccepting()) {
            metrics.drop(UdpDrop.NOT_ACCEPTING, from);
            return;
        }
        long nonce = header.connectionId();
        switch (HandshakeMessages.parseHello(buffer, header.payloadOffset(), header.payloadLength())) {
            case HandshakeMessages.Hello.Malformed malformed -> metrics.drop(UdpDrop.MALFORMED, from);
            case HandshakeMessages.Hello.WithoutCookie first -> {
                if (!rateLimit.tryAcquire(from.getAddress())) {
                    metrics.drop(UdpDrop.RATE_LIMITED, from);
                    return;
                }
                metrics.cookiesSent.increment();
                endpoint.send(HandshakeMessages.cookie(nonce, cookies.mint(from, nonce)), from);
            }
            case HandshakeMessages.Hello.WithCookie second -> {
                switch (cookies.check(second.cookie(), from, nonce)) {
                    case STALE -> metrics.drop(UdpDrop.STALE_COOKIE, from);
                    case FORGED -> metrics.drop(UdpDrop.BAD_COOKIE, from);
                    case VALID -> onValidHello(nonce, length, from, now);
                }
            }
        }
    }

    private void onValidHello(long nonce, int helloBytes, InetSocketAddress from, long now) {
        forgetOldHandshakes(now);
        HandshakeKey key = new HandshakeKey(from, nonce);
        Handshake earlier = handshakes.get(key);
        if (earlier != null) {
            UdpConnection connection = connections.get(earlier.connectionId());
            if (connection == null || connection.heardFromPeer()) {
                metrics.drop(UdpDrop.REPLAYED_HELLO, from);
            } else if (!rateLimit.tryAcquire(from.getAddress())) {
                metrics.drop(UdpDrop.RATE_LIMITED, from);
            } else {
                byte[] accept = HandshakeMessages.accept(connection.id(), nonce);
                connection.countHandshake(helloBytes, accept.length);
                metrics.acceptsSent.increment();
                endpoint.send(accept, from);
            }
            return;
        }
        UdpConnection connection;
        stateLock.lock();
        try {
            if (!accepting || connections.size() >= options.maxConnections()) {
                metrics.drop(UdpDrop.NOT_ACCEPTING, from);
                return;
            }
            long id = transport.newConnectionId(connections.keySet());
            connection = new UdpConnection(endpoint, from, id, options, engineConfig, now, this::released);
            connections.put(id, connection);
        } finally {
            stateLock.unlock();
        }
        handshakes.put(key, new Handshake(connection.id(), now + handshakeMemoryNanos));
        byte[] accept = HandshakeMessages.accept(connection.id(), nonce);
        connection.countHandshake(helloBytes, accept.length);
        metrics.acceptsSent.increment();
        metrics.connectionsAccepted.increment();
        endpoint.send(accept, from);
        connection.start();
        transport.serve(connection, handler);
    }

    private boolean isAccepting() {
        stateLock.lock();
        try {
            return accepting;
        } finally {
            stateLock.unlock();
        }
    }

    private void forgetOldHandshakes(long now) {
        Iterator<Handshake> it = handshakes.values().iterator();
        while (it.hasNext()) {
            Handshake handshake = it.next();
            if (now - handshake.expiresNanos() < 0 && handshakes.size() < HANDSHAKES_REMEMBERED) {
                break; // insertion order is expiry order
            }
            it.remove();
        }
    }

    /** A connection is over: forget it, remember its id for a while, close the socket if it was the last. */
    private void released(UdpConnection connection) {
        metrics.finished(connection.engineStats());
        long now = options.nanoClock().getAsLong();
        if (recentlyClosed.size() >= CLOSED_REMEMBERED) {
            recentlyClosed.values().removeIf(expiry -> now - expiry >= 0);
            if (recentlyClosed.size() >= CLOSED_REMEMBERED) {
                recentlyClosed.clear();
            }
        }
        recentlyClosed.put(connection.id(), now + closedMemoryNanos);
        boolean closeSocket;
        stateLock.lock();
        try {
            connections.remove(connection.id(), connection);
            closeSocket = !accepting && connections.isEmpty();
        } finally {
            stateLock.unlock();
        }
        if (closeSocket) {
            endpoint.close();
        }
    }
}
