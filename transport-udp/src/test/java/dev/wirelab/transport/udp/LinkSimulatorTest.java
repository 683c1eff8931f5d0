package dev.wirelab.transport.udp;

import static dev.wirelab.transport.udp.Traffic.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class LinkSimulatorTest {

    private static final Impairment TEN_MS = new Impairment(0, 1, Duration.ofMillis(10), Duration.ZERO, 0,
            Duration.ZERO, 0, 0, 0, 1);

    private static LinkSimulator quiet() {
        return LinkSimulator.create(EngineConfig.defaults().withKeepAlive(Duration.ZERO), TEN_MS, TEN_MS.withSeed(2));
    }

    @Test
    void aMessageArrivesAfterTheLinksDelayInSimulatedTime() {
        LinkSimulator sim = quiet();
        sim.schedule(5 * MS, () -> sim.a().send(new byte[] {42}, Delivery.RELIABLE, 3));

        sim.runUntilIdle();

        assertThat(sim.b().received()).containsExactly(
                new LinkSimulator.Received(15 * MS, Delivery.RELIABLE, 3, new byte[] {42}));
        assertThat(sim.a().engine().quiescent()).isTrue();
        assertThat(sim.now()).as("idle once the delayed ACK (25 ms) came back").isEqualTo(50 * MS);
    }

    @Test
    void runUntilMovesTheClockEvenWhenNothingHappens() {
        LinkSimulator sim = quiet();

        sim.runUntil(3_000 * MS);

        assertThat(sim.now()).isEqualTo(3_000 * MS);
        assertThat(sim.steps()).isZero();
    }

    @Test
    void keepalivesRunOnTheirOwnButDoNotCountAsWorkLeft() {
        LinkSimulator sim = LinkSimulator.create(EngineConfig.defaults(), TEN_MS, TEN_MS.withSeed(2));

        assertThat(sim.runUntilIdle(1_000 * MS)).isTrue();
        sim.runUntil(3_500 * MS);

        long pings = sim.a().stats().pingsSent() + sim.b().stats().pingsSent();
        assertThat(pings).as("about one a second from whichever side was quiet").isBetween(2L, 7L);
        assertThat(sim.a().engine().lastReceivedNanos()).isGreaterThan(2_400 * MS);
        assertThat(sim.b().engine().lastReceivedNanos()).isGreaterThan(2_400 * MS);
    }

    @Test
    void schedulingInThePastIsRejected() {
        LinkSimulator sim = quiet();
        sim.runUntil(100 * MS);

        assertThatThrownBy(() -> sim.schedule(99 * MS, () -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void receiveHandlersRunAfterTheEngineCallAtTheSameSimulatedTime() {
        LinkSimulator sim = quiet();
        List<Long> handled = new ArrayList<>();
        sim.b().onReceive(r -> {
            handled.add(sim.now());
            assertThat(sim.b().send(r.message(), r.delivery(), r.channel())).isEqualTo(Offer.ACCEPTED);
        });
        sim.schedule(0, () -> sim.a().send(new byte[] {1}, Delivery.RELIABLE_ORDERED, 0));

        sim.runUntilIdle();

        assertThat(handled).containsExactly(10 * MS);
        assertThat(sim.a().received()).extracting(LinkSimulator.Received::atNanos).containsExactly(20 * MS);
    }

    @Test
    void wireBytesPerDeliveredByteCountsBothDirectionsAndEveryHeader() {
        LinkSimulator sim = quiet();
        sim.schedule(0, () -> sim.a().send(new byte[1000], Delivery.RELIABLE, 0));

        sim.runUntilIdle();

        long wire = sim.a().stats().bytesOut() + sim.b().stats().bytesOut();
        assertThat(sim.wireBytesPerDeliveredByte()).isEqualTo(wire / 1000.0).isBetween(1.0, 1.1);
    }

    @Test
    void anEngineThatCannotGetThroughIsNotIdle() {
        Impairment dead = new Impairment(1.0, 1, Duration.ofMillis(10), Duration.ZERO, 0, Duration.ZERO, 0, 0, 0, 1);
        LinkSimulator sim = LinkSimulator.create(EngineConfig.defaults(), dead, dead.withSeed(2));
        sim.schedule(0, () -> sim.a().send(new byte[] {1}, Delivery.RELIABLE, 0));

        assertThat(sim.runUntilIdle(60_000 * MS)).isFalse();
        assertThat(sim.a().stats().ptoRetransmits()).as("backed off, not hammering").isBetween(3L, 12L);
    }
}
