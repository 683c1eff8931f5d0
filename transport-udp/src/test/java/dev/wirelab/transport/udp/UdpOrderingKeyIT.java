package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Framing;
import dev.wirelab.transport.Connection;
import dev.wirelab.transport.ConnectionClosedException;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.Listener;
import dev.wirelab.transport.OrderingKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ordering keys over real sockets through 20% seeded loss: each key's frames arrive complete and in
 * order, and frames of two keys on different channels overtake each other where a loss held one
 * back, which frames of one key never do.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdpOrderingKeyIT {

    private static final Framing FRAMING = Framing.lengthPrefixed(64 * 1024);
    private static final int FRAMES_PER_KEY = 300;
    private static final OrderingKey ROOM_A = OrderingKey.of("room:a");
    private static final OrderingKey ROOM_B = OrderingKey.of("room:b");

    @Test
    void twoKeysOnTwoChannelsEachArriveInOrderAndOvertakeEachOtherAroundLosses() throws Exception {
        int channels = EngineConfig.CHANNELS_DEFAULT;
        assertThat(ROOM_A.channel(channels)).as("the two keys map to different channels")
                .isNotEqualTo(ROOM_B.channel(channels));

        List<String> received = sendInterleaved(ROOM_A, ROOM_B, 11);

        assertThat(inOrder(received, "a")).containsExactlyElementsOf(expected("a"));
        assertThat(inOrder(received, "b")).containsExactlyElementsOf(expected("b"));
        assertThat(overtakes(received)).as("frames that arrived before a frame of the other key sent earlier")
                .isPositive();
    }

    @Test
    void framesWithoutAKeyOfTheirOwnStayInOneOrder() throws Exception {
        List<String> received = sendInterleaved(OrderingKey.CONNECTION, OrderingKey.CONNECTION, 11);

        assertThat(received).hasSize(2 * FRAMES_PER_KEY);
        assertThat(overtakes(received)).isZero();
    }

    /** Sends a0 b0 a1 b1 ... with a's frames under {@code a} and b's under {@code b}; returns what arrived. */
    private static List<String> sendInterleaved(OrderingKey a, OrderingKey b, long seed) throws Exception {
        UdpTransport server = UdpTransport.create(options("loss=0%", seed));
        UdpTransport client = UdpTransport.create(options("loss=20%", seed + 1));
        BlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
        try (Listener listener = server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), FRAMING,
                connection -> {
                    try {
                        while (true) {
                            arrivals.add(connection.receive().toUtf8());
                        }
                    } catch (ConnectionClosedException e) {
                        // the client closed after everything was acknowledged
                    }
                });
             Connection connection = client.connect(listener.localAddress(), FRAMING)) {
            for (int i = 0; i < FRAMES_PER_KEY; i++) {
                connection.send(Frame.ofUtf8("a " + i), Delivery.RELIABLE_ORDERED, a);
                connection.send(Frame.ofUtf8("b " + i), Delivery.RELIABLE_ORDERED, b);
            }
            List<String> received = new ArrayList<>();
            while (received.size() < 2 * FRAMES_PER_KEY) {
                String frame = arrivals.poll(30, TimeUnit.SECONDS);
                assertThat(frame).as("frame %d of %d arrived", received.size() + 1, 2 * FRAMES_PER_KEY).isNotNull();
                received.add(frame);
            }
            return received;
        }
    }

    private static UdpOptions options(String spec, long seed) {
        return UdpOptions.defaults()
                .withImpairment(Impairment.parse(spec).withSeed(seed))
                .withHandshake(Duration.ofSeconds(20), Duration.ofMillis(50))
                .withClocks(java.time.InstantSource.system(), System::nanoTime, new SplittableRandom(seed));
    }

    private static List<String> inOrder(List<String> received, String key) {
        return received.stream().filter(frame -> frame.startsWith(key + " ")).toList();
    }

    private static List<String> expected(String key) {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < FRAMES_PER_KEY; i++) {
            frames.add(key + " " + i);
        }
        return frames;
    }

    /**
     * How many frames arrived while a frame sent before them was still missing. Sending order is
     * a0 b0 a1 b1 ..., so frame {@code k i} was sent at position {@code 2i} (a) or {@code 2i+1} (b).
     */
    private static int overtakes(List<String> received) {
        int overtakes = 0;
        int highestSent = -1;
        for (String frame : received) {
            String[] parts = frame.split(" ");
            int position = 2 * Integer.parseInt(parts[1]) + (parts[0].equals("a") ? 0 : 1);
            if (position < highestSent) {
                overtakes++;
            }
            highestSent = Math.max(highestSent, position);
        }
        return overtakes;
    }
}
