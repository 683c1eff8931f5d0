package dev.wirelab.transport.udp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client half of the handshake, and afterwards the receiver of the client socket's datagrams.
 *
 * <pre>
 * client                                             server
 *   HELLO(nonce, no cookie, padded to 1200)  ------>   no state; rate-limited
 *                                           &lt;------   COOKIE(nonce, cookie)        36 bytes
 *   HELLO(nonce, cookie, padded to 1200)     ------>   cookie checked: connection created
 *                                           &lt;------   ACCEPT(id, nonce)            24 bytes
 *   DATA(id, engine packet) ...              &lt;----->   DATA(id, engine packet) ...
 * </pre>
 *
 * <p>{@link #await} sends the HELLO and repeats it on a timer (the first interval
 * {@code handshakeRetry}, doubling up to four times that) until an ACCEPT naming its nonce arrives,
 * the handshake timeout passes ({@link ConnectException}), or the kernel reports the server's port
 * unreachable ({@link ConnectException} at once: nothing listens there). The first COOKIE is
 * answered at once; later ones (answers to repeated HELLOs) only refresh the cookie the next
 * repeat carries, so no COOKIE is ever answered more than once.
 *
 * <p>Threads: {@link #await} runs on the caller's thread; the other methods on the socket's
 * receive loop. They meet under one {@link ReentrantLock}.
 */
final class HandshakeClient implements UdpEndpoint.Receiver {

    private final UdpTransport transport;
    private final UdpEndpoint endpoint;
    private final InetSocketAddress remote;
    private final UdpOptions options;
    private final EngineConfig engineConfig;
    private final UdpMetrics metrics;
    private final long nonce;
    private final int helloBytes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private byte[] cookie;
    private boolean answerCookieNow;
    private UdpConnection connection;
    private IOException failure;
    private boolean abandoned;
    private long handshakeBytesIn;
    private long handshakeBytesOut;

    HandshakeClient(UdpTransport transport, UdpEndpoint endpoint, InetSocketAddress remote, UdpOptions options,
            EngineConfig engineConfig, UdpMetrics metrics, long nonce) {
        this.transport = transport;
        this.endpoint = endpoint;
        this.remote = remote;
        this.options = options;
        this.engineConfig = engineConfig;
        this.metrics = metrics;
        this.nonce = nonce;
        this.helloBytes = HandshakeMessages.helloBytes(options.limits().udpMaxDatagramBytes());
    }

    /**
     * Runs the handshake to its end.
     *
     * @return the connection, its timer started
     * @throws ConnectException if nothing answered within the handshake timeout, or the port is unreachable
     */
    UdpConnection await() throws IOException {
        long timeoutNanos = options.handshakeTimeout().toNanos();
        long baseRetry = options.handshakeRetry().toNanos();
        long start = options.nanoClock().getAsLong();
        long deadline = start + timeoutNanos;
        long retry = baseRetry;
        long nextSend = start;
        boolean done = false;
        lock.lock();
        try {
            while (true) {
                if (connection != null) {
                    done = true;
                    return connection;
                }
                if (failure != null) {
                    throw failure;
                }
                long now = options.nanoClock().getAsLong();
                if (now - deadline >= 0) {
                    throw new ConnectException("no answer from " + remote + " within "
                            + UdpConnection.describe(timeoutNanos) + " (UDP handshake timeout)");
                }
                if (answerCookieNow || now - nextSend >= 0) {
                    boolean repeat = !answerCookieNow;
                    answerCookieNow = false;
                    byte[] hello = HandshakeMessages.hello(nonce, Optional.ofNullable(cookie), helloBytes);
                    handshakeBytesOut += hello.length;
                    lock.unlock();
                    try {
                        endpoint.send(hello, remote);
                    } finally {
                        lock.lock();
                    }
                    if (repeat) {
                        nextSend = now + retry;
                        retry = Math.min(retry * 2, 4 * baseRetry);
                    }
                    continue;
                }
                long wait = Math.min(nextSend - now, deadline - now);
                try {
                    changed.awaitNanos(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while connecting to " + remote);
                }
            }
        } finally {
            if (!done) {
                abandoned = true;
            }
            lock.unlock();
            if (!done) {
                endpoint.close();
            }
        }
    }

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
        UdpConnection open = connectionOrNull();
        if (open != null) {
            switch (header.type()) {
                case DATA, CLOSE -> {
                    if (header.connectionId() == open.id()) {
                        open.onDatagram(header.type(), buffer, header.payloadOffset(), header.payloadLength(),
                                length, now);
                    } else {
                        metrics.drop(UdpDrop.UNKNOWN_CONNECTION, from);
                    }
                }
                // A repeated ACCEPT (ours went through after all), a late COOKIE, or a HELLO: never answered.
                case HELLO, COOKIE, ACCEPT -> metrics.drop(UdpDrop.UNEXPECTED_TYPE, from);
            }
            return;
        }
        switch (header.type()) {
            case HELLO -> metrics.drop(UdpDrop.UNEXPECTED_TYPE, from);
            case DATA, CLOSE -> metrics.drop(UdpDrop.BEFORE_ACCEPT, from);
            case COOKIE -> onCookie(header, buffer, length, from);
            case ACCEPT -> onAccept(header, buffer, length, from, now);
        }
    }

    @Override
    public void onUnreachable(IOException cause) {
        UdpConnection open;
        lock.lock();
        try {
            open = connection;
            if (open == null && failure == null) {
                ConnectException refused = new ConnectException("connection refused: nothing listens at " + remote
                        + " (ICMP port unreachable)");
                refused.initCause(cause);
                failure = refused;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (open != null) {
            open.onUnreachable();
        }
    }

    @Override
    public void onClosed() {
        lock.lock();
        try {
            if (connection == null && failure == null) {
                failure = new ConnectException("the socket closed during the handshake with " + remote);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private UdpConnection connectionOrNull() {
        lock.lock();
        try {
            return connection;
        } finally {
            lock.unlock();
        }
    }

    private void onCookie(PacketHeader.Parsed header, byte[] buffer, int length, InetSocketAddress from) {
        if (header.connectionId() != nonce) {
            metrics.drop(UdpDrop.BEFORE_ACCEPT, from);
            return;
        }
        Optional<byte[]> received = HandshakeMessages.parseCookie(buffer, header.payloadOffset(), header.payloadLength());
        if (received.isEmpty()) {
            metrics.drop(UdpDrop.MALFORMED, from);
            return;
        }
        lock.lock();
        try {
            if (abandoned) {
                return;
            }
            handshakeBytesIn += length;
            answerCookieNow = cookie == null;
            cookie = received.get();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void onAccept(PacketHeader.Parsed header, byte[] buffer, int length, InetSocketAddress from, long now) {
        Optional<Long> echoed = HandshakeMessages.parseAccept(buffer, header.payloadOffset(), header.payloadLength());
        if (echoed.isEmpty()) {
            metrics.drop(UdpDrop.MALFORMED, from);
            return;
        }
        if (echoed.get() != nonce) {
            metrics.drop(UdpDrop.BEFORE_ACCEPT, from);
            return;
        }
        lock.lock();
        try {
            if (abandoned) {
                return;
            }
            UdpConnection made = new UdpConnection(endpoint, remote, header.connectionId(), options, engineConfig,
                    now, released -> {
                        metrics.finished(released.engineStats());
                        endpoint.close();
                    });
            made.countHandshake(handshakeBytesIn + length, handshakeBytesOut);
            made.start();
            connection = made;
            metrics.connectionsOpened.increment();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "HandshakeClient[" + endpoint.localAddress() + " -> " + remote + ", transport " + transport.name() + "]";
    }
}
