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

/**
 * A man in the middle on loopback: one socket that forwards a client's datagrams to a server and
 * the server's back to the last client, recording both directions, and can inject datagrams to the
 * server from its own address (so they come from the client's address as the server knows it).
 */
final class UdpTestRelay implements AutoCloseable {

    /** One datagram seen by the relay. */
    record Seen(boolean toServer, byte[] bytes) {
        PacketHeader.Type type() {
            return PacketHeader.Type.of(bytes[3]);
        }
    }

    private final DatagramChannel channel;
    private final InetSocketAddress server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Thread loop;
    private volatile SocketAddress client;

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
            seen.add(new Seen(toServer, bytes));
            try {
                if (toServer) {
                    client = from;
                    channel.send(ByteBuffer.wrap(bytes), server);
                } else if (client != null) {
                    channel.send(ByteBuffer.wrap(bytes), client);
                }
            } catch (IOException e) {
                // the other side is gone; a relay drops, as a network would
            }
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
