package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HandshakeRateLimitTest {

    private final UdpTestClock clock = new UdpTestClock();

    private static InetAddress ip(int last) throws Exception {
        return InetAddress.getByAddress(new byte[] {10, 0, (byte) (last >> 8), (byte) last});
    }

    private static int granted(HandshakeRateLimit limit, InetAddress source, int tries) {
        int granted = 0;
        for (int i = 0; i < tries; i++) {
            if (limit.tryAcquire(source)) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void oneSourceGetsItsBurstThenItsRate() throws Exception {
        HandshakeRateLimit limit = new HandshakeRateLimit(10, 10, 1000, 1000, clock);

        assertThat(granted(limit, ip(1), 100)).isEqualTo(10);
        clock.advance(Duration.ofMillis(500));
        assertThat(granted(limit, ip(1), 100)).isEqualTo(5);
        clock.advance(Duration.ofSeconds(60));
        assertThat(granted(limit, ip(1), 100)).as("refilled only up to the burst").isEqualTo(10);
    }

    @Test
    void oneSourceFloodingDoesNotStarveAnother() throws Exception {
        HandshakeRateLimit limit = new HandshakeRateLimit(10, 10, 1000, 1000, clock);

        granted(limit, ip(1), 1000);

        assertThat(granted(limit, ip(2), 1)).isEqualTo(1);
    }

    @Test
    void manySourcesTogetherAreHeldToTheGlobalRate() throws Exception {
        HandshakeRateLimit limit = new HandshakeRateLimit(10, 10, 100, 100, clock);

        int total = 0;
        for (int source = 0; source < 500; source++) {
            total += granted(limit, ip(source), 3);
        }

        assertThat(total).isEqualTo(100);
    }
}
