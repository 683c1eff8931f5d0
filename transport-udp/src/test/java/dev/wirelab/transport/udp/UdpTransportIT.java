package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.FrameTooLargeException;
import dev.wirelab.protocol.Framing;
import dev.wirelab.testkit.Await;
import dev.wirelab.testkit.TransportContract;
import dev.wirelab.transport.CloseReason;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.ConnectionClosedException;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Guarantees;
import dev.wirelab.transport.Listener;
import dev.wirelab.transport.TrafficStats;
import dev.wirelab.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport contract over real loopback sockets, once per reliable delivery mode, plus what
 * only UDP promises: guarantees as asked, datagrams within the limit, byte counters with headers.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpTransportIT {

    private static final Framing FRAMING = Framing.lengthPrefixed(64 * 1024);

    /** The contract with {@code send(frame)} meaning RELIABLE_ORDERED, the default. */
    @Nested
    class ReliableOrdered extends TransportContract {

        private final Transport transport = UdpTransport.create();

        @Override
        protected Transport transport() {
            return transport;
        }
    }

    /** The contract with {@code send(frame)} meaning RELIABLE: every frame once, order not promised. */
    @Nested
    class Reliable extends TransportContract {

        private final Transport transport = UdpTransport.create(UdpOptions.defaults().withDelivery(Delivery.RELIABLE));

        @Override
        protected Transport transport() {
            return transport;
        }

        @Override
        protected Delivery delivery() {
            return Delivery.RELIABLE;
        }
    }

    @Test
    void everyDeliveryIsGivenAsAskedWithTheEnginesLimitCappedByTheFraming() throws Exception {
        UdpTransport transport = UdpTransport.create();
        Framing small = Framing.lengthPrefixed(4096);
        try (Listener listener = transport.listen(loopback(), small, UdpTransportIT::echo);
                Connection connection = transport.connect(listener.localAddress(), small)) {
            for (Delivery delivery : Delivery.values()) {
                assertThat(connection.guarantees(delivery)).isEqualTo(new Guarantees(delivery, 4096));
            }
        }
        try (Listener listener = transport.listen(loopback(), Framing.lengthPrefixed(1 << 20), UdpTransportIT::echo);
                Connection connection = transport.connect(listener.localAddress(), Framing.lengthPrefixed(1 << 20))) {
            assertThat(connection.guarantees(Delivery.RELIABLE).maxFrameBytes())
                    .isEqualTo(EngineConfig.MAX_MESSAGE_BYTES_DEFAULT);
        }
    }

    @Test
    void sendWithoutADeliveryUsesTheTransportsDefault() throws Exception {
        UdpTransport transport = UdpTransport.create(UdpOptions.defaults().withDelivery(Delivery.RELIABLE));
        try (Listener listener = transport.listen(loopback(), FRAMING, UdpTransportIT::echo);
                UdpConnection connection = transport.connect(listener.localAddress(), FRAMING)) {
            assertThat(connection.defaultDelivery()).isEqualTo(Delivery.RELIABLE);
        }
    }

    @Test
    void aFrameOfSixtyFourKibibytesTravelsInDatagramsOfAtMostTheLimit() throws Exception {
        UdpTransport transport = UdpTransport.create();
        try (Listener listener = transport.listen(loopback(), FRAMING, UdpTransportIT::echo);
                UdpTestRelay relay = new UdpTestRelay(listener.localAddress());
                Connection connection = transport.connect(relay.address(), FRAMING)) {
            byte[] big = new byte[64 * 1024];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31 + 7);
            }

            connection.send(new Frame(big));

            assertThat(connection.receive()).isEqualTo(new Frame(big));
            assertThat(relay.seen()).hasSizeGreaterThan(2 * 64 * 1024 / 1200)
                    .allSatisfy(seen -> assertThat(seen.bytes().length).isLessThanOrEqualTo(1200));
        }
    }

    @Test
    void unreliableAndSequencedFramesArriveOnACleanLink() throws Exception {
        UdpTransport transport = UdpTransport.create();
        BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
        try (Listener listener = transport.listen(loopback(), FRAMING, connection -> {
                    while (true) {
                        received.add(connection.receive());
                    }
                });
                Connection connection = transport.connect(listener.localAddress(), FRAMING)) {
            connection.send(Frame.ofUtf8("unreliable"), Delivery.UNRELIABLE);
            connection.send(Frame.ofUtf8("sequenced"), Delivery.SEQUENCED);

            assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void statsCountWholeDatagramsHeadersIncludedAndFrames() throws Exception {
        UdpTransport transport = UdpTransport.create();
        try (Listener listener = transport.listen(loopback(), FRAMING, UdpTransportIT::echo);
                UdpConnection connection = transport.connect(listener.localAddress(), FRAMING)) {
            TrafficStats afterHandshake = connection.stats();

            connection.send(Frame.ofUtf8("counted"));
            connection.receive();

            TrafficStats stats = connection.stats();
            assertThat(afterHandshake.bytesOut()).as("the padded HELLOs").isGreaterThanOrEqualTo(2 * 1200);
            assertThat(afterHandshake.bytesIn()).as("COOKIE(s) and ACCEPT").isGreaterThanOrEqualTo(36 + 24);
            assertThat((afterHandshake.bytesIn() - 24) % 36).as("COOKIEs of 36 bytes and one ACCEPT of 24").isZero();
            assertThat(stats.framesOut()).isEqualTo(1);
            assertThat(stats.framesIn()).isEqualTo(1);
            assertThat(stats.bytesOut() - afterHandshake.bytesOut()).isGreaterThanOrEqualTo(16 + "counted".length());
            assertThat(stats.bytesIn() - afterHandshake.bytesIn()).isGreaterThanOrEqualTo(16 + "counted".length());
            assertThat(transport.counters().connectionsOpened()).isEqualTo(1);
            assertThat(transport.counters().connectionsAccepted()).isEqualTo(1);
            UdpCounters counters = transport.counters();
            assertThat(counters.droppedTotal() - counters.dropped(UdpDrop.UNEXPECTED_TYPE))
                    .as("nothing dropped but, on a slow machine, a late copy of a handshake reply").isZero();
        }
    }

    @Test
    void aFrameOverTheLimitIsRefusedBeforeAnythingIsSent() throws Exception {
        UdpTransport transport = UdpTransport.create();
        Framing small = Framing.lengthPrefixed(2000);
        try (Listener listener = transport.listen(loopback(), small, UdpTransportIT::echo);
                Connection connection = transport.connect(listener.localAddress(), small)) {
            long before = transport.counters().datagramsOut();

            assertThatThrownBy(() -> connection.send(new Frame(new byte[2001]), Delivery.UNRELIABLE))
                    .isInstanceOf(FrameTooLargeException.class);

            assertThat(transport.counters().datagramsOut()).isEqualTo(before);
        }
    }

    @Test
    void closingTheLastConnectionOfAClosedListenerFreesThePort() throws Exception {
        UdpTransport transport = UdpTransport.create();
        Listener listener = transport.listen(loopback(), FRAMING, UdpTransportIT::echo);
        Connection connection = transport.connect(listener.localAddress(), FRAMING);
        listener.close();

        connection.close();

        UdpListener udp = (UdpListener) listener;
        Await.until("the server's connection is released, its handler done and the socket closed",
                () -> udp.openConnections() == 0 && udp.endpoint().isClosed() && transport.activeHandlers() == 0);
    }

    @Test
    void aServerClosingWithUnacknowledgedDataStillDeliversItBeforePeerClosed() throws Exception {
        UdpTransport transport = UdpTransport.create();
        try (Listener listener = transport.listen(loopback(), FRAMING, server -> {
                    for (int i = 0; i < 500; i++) {
                        server.send(new Frame(new byte[1000]));
                    }
                });
                Connection connection = transport.connect(listener.localAddress(), FRAMING)) {
            for (int i = 0; i < 500; i++) {
                assertThat(connection.receive().length()).isEqualTo(1000);
            }
            assertThatThrownBy(connection::receive).isInstanceOfSatisfying(ConnectionClosedException.class,
                    e -> assertThat(e.reason()).isEqualTo(CloseReason.PEER_CLOSED));
        }
    }

    private static void echo(Connection connection) throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = connection.receive();
            } catch (ConnectionClosedException e) {
                return;
            }
            connection.send(frame);
        }
    }

    private static SocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
