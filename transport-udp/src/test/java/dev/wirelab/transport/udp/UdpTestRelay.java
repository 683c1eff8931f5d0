package dev.wirelab.transport.udp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A man in the middle on loopback: one socket that forwards a client's datagrams to a server and
 * the server's back to the last client, recording both directions, and can inject datagrams to the
 * server from its own address (so they come from the client's address as the server knows it), or
 * drop or hold back the datagrams a rule picks (a loss or a delay chosen by the test, not by chance).
 */
final class UdpTestRelay implements AutoCloseable {

    /** One datagram seen by the relay. */
    record Seen(boolean toServer, byte[] bytes) {
        PacketHeader.Type type() {
            return PacketHeader.Type.of(bytes[3]);
        }

        /** Whether this is a DATA datagram whose engine packet carries at least one DATA frame (not just ACK or PING). */
        boolean carriesFrames() {
            if (type() != PacketHeader.Type.DATA
                    || !(PacketHeader.parse(bytes, bytes.length) instanceof PacketHeader.Result.Ok ok)) {
                return false;
            }
            PacketHeader.Parsed header = ok.parsed();
            return PacketCodec.decode(bytes, header.payloadOffset(), header.payloadLength(), EngineConfig.CHANNELS_MAX)
                    instanceof PacketCodec.Decoded.Ok packet && !packet.packet().data().isEmpty();
        }
    }

    private final DatagramChannel channel;
    private final InetSocketAddress server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Thread loop;
    private volatile SocketAddress client;
    private volatile Predicate<Seen> drop = seen -> false;
    /** Guards {@link #hold} and {@link #held}, so nothing is held after {@link #releaseHeld()}. */
    private final Object holding = new Object();
    private Predicate<Seen> hold = seen -> false;
    private final List<Seen> held = new ArrayList<>();

    UdpTestRelay(SocketAddress server) throws IOException {
        this.server = (InetSocketAddress) server;
        this.channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.loop = Thread.ofVirtual().name("udp-test-relay").start(this::run);
    }

    SocketAddress address() throws IOException {
        return channel.getLocalAddress();
    }

    List<Seen> seen() {
        return new ArrayList<>(seen);
    }

    /** The datagrams of {@code type} sent by the client, in order. */
    List<byte[]> fromClient(PacketHeader.Type type) {
        return seen.stream().filter(s -> s.toServer() && s.type() == type).map(Seen::bytes).toList();
    }

    /** The datagrams of {@code type} sent by the server, in order. */
    List<byte[]> fromServer(PacketHeader.Type type) {
        return seen.stream().filter(s -> !s.toServer() && s.type() == type).map(Seen::bytes).toList();
    }

    /** From now on, drops (after recording) every datagram {@code rule} picks; {@code seen -> false} forwards all again. */
    void drop(Predicate<Seen> rule) {
        drop = rule;
    }

    /** From now on, holds back (after recording) every datagram {@code rule} picks, until {@link #releaseHeld()}. */
    void hold(Predicate<Seen> rule) {
        synchronized (holding) {
            hold = rule;
        }
    }

    /** Forwards every datagram held back, in the order they came, and holds nothing more. */
    void releaseHeld() throws IOException {
        synchronized (holding) {
            hold = seen -> false;
            for (Seen datagram : held) {
                forward(datagram);
            }
            held.clear();
        }
    }

    /** Sends {@code datagram} to the server from the relay's address, as if the client sent it again. */
    void replayToServer(byte[] datagram) throws IOException {
        channel.send(ByteBuffer.wrap(datagram), server);
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(65_536);
        while (true) {
            buffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            byte[] bytes = Arrays.copyOf(buffer.array(), buffer.position());
            boolean toServer = !from.equals(server);
            Seen datagram = new Seen(toServer, bytes);
            seen.add(datagram);
            if (toServer) {
                client = from;
            }
            if (drop.test(datagram)) {
                continue;
            }
            synchronized (holding) {
                if (hold.test(datagram)) {
                    held.add(datagram);
                    continue;
                }
                try {
                    forward(datagram);
                } catch (IOException e) {
                    // the other side is gone; a relay drops, as a network would
                }
            }
        }
    }

    private void forward(Seen datagram) throws IOException {
        if (datagram.toServer()) {
            channel.send(ByteBuffer.wrap(datagram.bytes()), server);
        } else if (client != null) {
            channel.send(ByteBuffer.wrap(datagram.bytes()), client);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
