package dev.wirelab.transport.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** A raw UDP socket on loopback for poking a transport with hand-made datagrams. */
final class UdpTestProbe implements AutoCloseable {

    /** How long "silence" is listened for: far above a loopback round trip. */
    static final Duration SILENCE = Duration.ofMillis(300);

    private final DatagramSocket socket;
    private final SocketAddress target;
    private volatile SocketAddress lastSender;

    UdpTestProbe(SocketAddress target) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.target = target;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void send(byte[] datagram) throws IOException {
        sendTo(datagram, target);
    }

    void sendTo(byte[] datagram, SocketAddress to) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, to));
    }

    /** Who sent the datagram received last. */
    SocketAddress lastSender() {
        return lastSender;
    }

    /** The next datagram within {@code timeout}, if one comes. */
    Optional<byte[]> receive(Duration timeout) throws IOException {
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        lastSender = packet.getSocketAddress();
        return Optional.of(Arrays.copyOf(buffer, packet.getLength()));
    }

    /** The next datagram; fails if none comes within a few seconds. */
    byte[] receive() throws IOException {
        return receive(Duration.ofSeconds(5)).orElseThrow(() -> new AssertionError("no reply within 5 s"));
    }

    /** Every datagram that arrives until {@code quiet} passes with none. */
    java.util.List<byte[]> drain(Duration quiet) throws IOException {
        java.util.List<byte[]> all = new java.util.ArrayList<>();
        while (true) {
            Optional<byte[]> next = receive(quiet);
            if (next.isEmpty()) {
                return all;
            }
            all.add(next.get());
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
