package dev.wirelab.transport.tcp;

import dev.wirelab.transport.TrafficStats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Framing;
import dev.wirelab.testkit.Await;
import dev.wirelab.testkit.TransportContract;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.ConnectionClosedException;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Guarantees;
import dev.wirelab.transport.Listener;
import dev.wirelab.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport contract over real loopback sockets, once per framing, plus what only TCP
 * promises: the same guarantees for every delivery, byte counters, and nothing left behind.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpTransportIT {

    /** The contract with the binary codecs' 4-byte length prefix. */
    @Nested
    class OverLengthPrefix extends TransportContract {

        private final Transport transport = TcpTransport.create();

        @Override
        protected Transport transport() {
            return transport;
        }
    }

    /** The contract with the JSON codecs' newline-delimited lines. */
    @Nested
    class OverLines extends TransportContract {

        private final Transport transport = TcpTransport.create();

        @Override
        protected Transport transport() {
            return transport;
        }

        @Override
        protected Framing framing() {
            return Framing.lines(64 * 1024);
        }
    }

    @Test
    void everyDeliveryGetsReliableOrderedWithTheFramingsLimit() throws Exception {
        TcpTransport transport = TcpTransport.create();
        Framing framing = Framing.lengthPrefixed(4096);
        try (Listener listener = transport.listen(loopback(), framing, TcpTransportIT::drain);
                Connection connection = transport.connect(listener.localAddress(), framing)) {
            for (Delivery delivery : Delivery.values()) {
                assertThat(connection.guarantees(delivery)).isEqualTo(new Guarantees(Delivery.RELIABLE_ORDERED, 4096));
            }
        }
    }

    @Test
    void statsCountFramesAndBytesOnTheWire() throws Exception {
        TcpTransport transport = TcpTransport.create();
        Framing framing = Framing.lines(1024);
        try (Listener listener = transport.listen(loopback(), framing, TcpTransportIT::echo);
                TcpConnection connection = transport.connect(listener.localAddress(), framing)) {
            for (String text : List.of("a", "bb", "ccc")) {
                connection.send(Frame.ofUtf8(text), Delivery.UNRELIABLE);
            }
            for (int i = 0; i < 3; i++) {
                connection.receive();
            }

            // 1 + 2 + 3 payload bytes and one newline each
            assertThat(connection.stats()).isEqualTo(new TrafficStats(9, 9, 3, 3));
        }
    }

    @Test
    void abandonedConnectionsLeaveNoHandlerSocketOrThreadBehind() throws Exception {
        TcpTransport server = TcpTransport.create();
        TcpTransport client = TcpTransport.create();
        Framing framing = Framing.lengthPrefixed(1024);
        AtomicInteger handlers = new AtomicInteger();
        TcpListener listener = (TcpListener) server.listen(loopback(), framing, connection -> {
            handlers.incrementAndGet();
            try {
                drain(connection);
            } finally {
                handlers.decrementAndGet();
            }
        });
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Connection connection = client.connect(listener.localAddress(), framing);
                connections.add(connection);
                if (i % 2 == 0) {
                    connection.send(Frame.ofUtf8("half of them say something first"));
                }
            }
            Await.until("all 200 are being served", () -> server.activeHandlers() == 200);
        } finally {
            connections.forEach(Connection::close);
        }

        Await.until("every handler has returned", () -> handlers.get() == 0 && server.activeHandlers() == 0);
        Await.until("every server socket is closed", () -> server.openConnections() == 0);
        assertThat(client.openConnections()).isZero();
        listener.close();
        Await.until("the accept loop has ended", () -> !listener.accepting());
        Await.until("the write watchdogs have stopped",
                () -> !server.watchdog().running() && !client.watchdog().running());
    }

    @Test
    void acceptedAndConnectedSocketsHaveTcpNoDelay() throws Exception {
        TcpTransport transport = TcpTransport.create();
        Framing framing = Framing.lines(1024);
        List<Boolean> serverSide = new CopyOnWriteArrayList<>();
        try (Listener listener = transport.listen(loopback(), framing, connection -> {
                    serverSide.add(((TcpConnection) connection).tcpNoDelay());
                    connection.send(Frame.ofUtf8("checked"));
                });
                TcpConnection connection = transport.connect(listener.localAddress(), framing)) {
            assertThat(connection.receive()).isEqualTo(Frame.ofUtf8("checked"));

            assertThat(connection.tcpNoDelay()).as("connected side").isTrue();
            assertThat(serverSide).as("accepted side").containsExactly(true);
        }
    }

    static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /** Reads until the peer leaves. */
    static void drain(Connection connection) throws Exception {
        try {
            while (true) {
                connection.receive();
            }
        } catch (ConnectionClosedException e) {
            // the end
        }
    }

    static void echo(Connection connection) throws Exception {
        try {
            while (true) {
                connection.send(connection.receive());
            }
        } catch (ConnectionClosedException e) {
            // the end
        }
    }
}
