package dev.wirelab.transport.udp;

import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.LinkModel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One UDP socket: its receive loop, and its send path through the impairment.
 *
 * <p><b>Receiving.</b> One virtual thread blocks in {@link DatagramChannel#receive} and hands each
 * datagram, in arrival order, to the {@link Receiver} (the listener's demultiplexer or the client's
 * connection). The buffer holds {@code maxDatagramBytes + 1} bytes: the JDK silently cuts a larger
 * datagram to the buffer, so one that fills it was too large and is dropped as
 * {@link UdpDrop#OVERSIZE} before anyone parses it. The buffer is reused; receivers copy what they
 * keep.
 *
 * <p><b>Sending.</b> {@link #send} is thread-safe and never blocks for long. With an impairment,
 * each datagram first goes through this socket's {@link LinkModel} (calls serialised by a lock): it
 * may be lost, copied, corrupted or delayed; a delayed copy is sent later by a scheduler on one
 * virtual thread. Send failures are logged, not thrown: UDP is fire-and-forget, and the reliability
 * engine repairs what was lost. An ICMP "port unreachable" reported on a connected socket goes to
 * {@link Receiver#onUnreachable}.
 */
final class UdpEndpoint {

    /** What the receive loop hands datagrams to. Called on the loop's thread only; must not throw or block long. */
    interface Receiver {
        /** A datagram of {@code length} bytes at the start of {@code buffer}, valid only during the call. */
        void onDatagram(byte[] buffer, int length, InetSocketAddress from, long nowNanos);

        /** The kernel reported the connected peer's port unreachable (ICMP). */
        void onUnreachable(IOException cause);

        /** The loop has ended: the socket is closed. */
        void onClosed();
    }

    /** Socket buffer asked of the kernel (capped by {@code net.core.rmem_max}/{@code wmem_max}). */
    static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

    /** Longest a closing socket waits for impairment-delayed datagrams still to be sent. */
    static final long CLOSE_DRAIN_MILLIS = 2_000;

    private static final System.Logger LOG = System.getLogger(UdpEndpoint.class.getName());

    private final DatagramChannel channel;
    private final int maxDatagramBytes;
    private final LongSupplier nanoClock;
    private final UdpMetrics metrics;
    private final LinkModel link;
    private final ReentrantLock linkLock = new ReentrantLock();
    private final ScheduledExecutorService delayed;
    private final SocketAddress localAddress;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    UdpEndpoint(DatagramChannel channel, int maxDatagramBytes, Impairment impairment, LongSupplier nanoClock,
            UdpMetrics metrics, String name) throws IOException {
        this.channel = channel;
        this.maxDatagramBytes = maxDatagramBytes;
        this.nanoClock = nanoClock;
        this.metrics = metrics;
        this.name = name;
        this.localAddress = channel.getLocalAddress();
        trySetBuffer(StandardSocketOptions.SO_RCVBUF);
        trySetBuffer(StandardSocketOptions.SO_SNDBUF);
        if (impairment.isNone()) {
            this.link = null;
            this.delayed = null;
        } else {
            this.link = new LinkModel(impairment);
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                    Thread.ofVirtual().name(name + "-delay").factory());
            scheduler.setRemoveOnCancelPolicy(true);
            this.delayed = scheduler;
        }
    }

    /** Starts the receive loop on a virtual thread of its own. */
    void start(Receiver receiver) {
        Thread.ofVirtual().name(name + "-receive").start(() -> receiveLoop(receiver));
    }

    SocketAddress localAddress() {
        return localAddress;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Sends {@code datagram} to {@code to}, through the impairment if there is one. Never throws. */
    void send(byte[] datagram, SocketAddress to) {
        if (closed.get()) {
            return;
        }
        metrics.datagramsOut.increment();
        metrics.bytesOut.add(datagram.length);
        if (link == null) {
            write(datagram, to);
            return;
        }
        long now = nanoClock.getAsLong();
        List<LinkModel.Arrival> arrivals;
        linkLock.lock();
        try {
            arrivals = link.send(datagram, now);
        } finally {
            linkLock.unlock();
        }
        for (LinkModel.Arrival arrival : arrivals) {
            long wait = arrival.atNanos() - now;
            if (wait <= 0) {
                write(arrival.bytes(), to);
            } else {
                try {
                    delayed.schedule(() -> write(arrival.bytes(), to), wait, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    // closing: a datagram delayed past the close is lost, as on a real link
                }
            }
        }
    }

    /**
     * Closes the socket, which ends the receive loop. Datagrams the impairment is still holding are
     * sent first (for at most {@link #CLOSE_DRAIN_MILLIS}), on a thread of their own, so this never
     * blocks. Idempotent.
     */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (delayed == null) {
            closeChannel();
            return;
        }
        delayed.shutdown(); // delayed datagrams already scheduled still go out
        Thread.ofVirtual().name(name + "-drain").start(() -> {
            try {
                delayed.awaitTermination(CLOSE_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                delayed.shutdownNow();
                closeChannel();
            }
        });
    }

    @Override
    public String toString() {
        return "UdpEndpoint[" + name + " " + localAddress + "]";
    }

    private void write(byte[] datagram, SocketAddress to) {
        try {
            if (channel.isConnected()) {
                channel.write(ByteBuffer.wrap(datagram));
            } else {
                channel.send(ByteBuffer.wrap(datagram), to);
            }
        } catch (PortUnreachableException e) {
            // The receive loop learns the same from its next receive; nothing to do here.
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1} unreachable", this, to);
        } catch (ClosedChannelException e) {
            // closed under a sender: the datagram is lost, as it would be a moment later anyway
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: sending {1} bytes to {2} failed: {3}", this, datagram.length, to, e);
        }
    }

    private void receiveLoop(Receiver receiver) {
        ByteBuffer buffer = ByteBuffer.allocate(maxDatagramBytes + 1);
        byte[] bytes = buffer.array();
        try {
            while (true) {
                buffer.clear();
                SocketAddress from;
                try {
                    from = channel.receive(buffer);
                } catch (PortUnreachableException e) {
                    safely(() -> receiver.onUnreachable(e));
                    continue;
                } catch (ClosedChannelException e) {
                    return;
                } catch (IOException e) {
                    if (!channel.isOpen()) {
                        return;
                    }
                    LOG.log(System.Logger.Level.WARNING, this + ": receive failed; going on", e);
                    continue;
                }
                if (from == null) {
                    continue;
                }
                long now = nanoClock.getAsLong();
                int length = buffer.position();
                metrics.datagramsIn.increment();
                metrics.bytesIn.add(length);
                if (length > maxDatagramBytes) {
                    metrics.drop(UdpDrop.OVERSIZE, from);
                    continue;
                }
                InetSocketAddress source = (InetSocketAddress) from;
                safely(() -> receiver.onDatagram(bytes, length, source, now));
            }
        } finally {
            closed.set(true);
            closeChannel();
            safely(receiver::onClosed);
        }
    }

    private void safely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            // A receiver must not throw; one that does must not end the loop for every other peer.
            LOG.log(System.Logger.Level.ERROR, this + ": a datagram handler failed", e);
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: close failed: {1}", this, e);
        }
    }

    private void trySetBuffer(java.net.SocketOption<Integer> option) {
        try {
            channel.setOption(option, SOCKET_BUFFER_BYTES);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: cannot set {1}: {2}", this, option, e);
        }
    }
}
