package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EngineConfigTest {

    @Test
    void everyProfileNameGivesAValidConfigurationOfThatName() {
        assertThat(EngineConfig.profileNames())
                .containsExactly("tcp-like", "kcp-default", "kcp-nocc", "kcp-turbo", "quic-like");
        for (String name : EngineConfig.profileNames()) {
            assertThat(EngineConfig.profile(name).name()).isEqualTo(name);
        }
        assertThat(EngineConfig.defaults()).isEqualTo(EngineConfig.profile("quic-like"));
    }

    @Test
    void anUnknownProfileIsRejectedNamingTheKnownOnes() {
        assertThatThrownBy(() -> EngineConfig.profile("kcp-fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kcp-turbo");
    }

    @Test
    void theProfilesCarryTheirReferenceValues() {
        EngineConfig quic = EngineConfig.profile("quic-like");
        assertThat(quic.congestion()).isEqualTo(EngineConfig.Congestion.NEW_RENO);
        assertThat(quic.timeout()).isEqualTo(EngineConfig.Timeout.PROBE);
        assertThat(quic.packetThreshold()).isEqualTo(3);
        assertThat(quic.timeThreshold()).isEqualTo(9.0 / 8);
        assertThat(quic.maxAckDelay()).isEqualTo(Duration.ofMillis(25));

        EngineConfig tcp = EngineConfig.profile("tcp-like");
        assertThat(tcp.minRto()).isEqualTo(Duration.ofMillis(200));
        assertThat(tcp.backoff()).isEqualTo(2.0);
        assertThat(tcp.maxAckDelay()).isEqualTo(Duration.ofMillis(40));
        assertThat(tcp.timeout()).isEqualTo(EngineConfig.Timeout.RETRANSMIT);

        EngineConfig kcp = EngineConfig.profile("kcp-default");
        assertThat(kcp.congestion()).isEqualTo(EngineConfig.Congestion.KCP);
        assertThat(kcp.packetThreshold()).isZero();
        assertThat(kcp.minRto()).isEqualTo(Duration.ofMillis(100));
        assertThat(kcp.interval()).isEqualTo(Duration.ofMillis(40));
        assertThat(EngineConfig.profile("kcp-nocc").congestion()).isEqualTo(EngineConfig.Congestion.NONE);

        EngineConfig turbo = EngineConfig.profile("kcp-turbo");
        assertThat(turbo.congestion()).isEqualTo(EngineConfig.Congestion.NONE);
        assertThat(turbo.packetThreshold()).isEqualTo(2);
        assertThat(turbo.backoff()).isEqualTo(1.5);
        assertThat(turbo.minRto()).isEqualTo(Duration.ofMillis(30));
        assertThat(turbo.maxAckDelay()).isZero();
        assertThat(turbo.interval()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void theDefaultPacketLeavesRoomForTheSocketLayersHeaderUnder1200Bytes() {
        assertThat(EngineConfig.defaults().maxPacketBytes()).isEqualTo(1184);
    }

    @Test
    void aFullSizeFragmentFitsOnePacketWithItsHeadersAndAnAck() {
        EngineConfig c = EngineConfig.defaults();
        int worst = PacketCodec.PACKET_OVERHEAD_MAX + PacketCodec.ACK_RESERVE
                + PacketCodec.dataFrameBytes(Varint.MAX, true, c.fragmentPayloadBytes()) - 6;

        assertThat(c.fragmentPayloadBytes()).isEqualTo(1184 - 61);
        assertThat(worst).isLessThanOrEqualTo(c.maxPacketBytes());
        assertThat(c.fragmentsFor(0)).isEqualTo(1);
        assertThat(c.fragmentsFor(c.fragmentPayloadBytes())).isEqualTo(1);
        assertThat(c.fragmentsFor(c.fragmentPayloadBytes() + 1)).isEqualTo(2);
    }

    @Test
    void eachWitherChangesOnlyItsKnob() {
        EngineConfig base = EngineConfig.defaults();

        EngineConfig changed = base.withMaxPacketBytes(1400).withMaxMessageBytes(1 << 20)
                .withReceiveWindowBytes(4 << 20).withSendBuffer(100, 2 << 20);

        assertThat(changed.maxPacketBytes()).isEqualTo(1400);
        assertThat(changed.maxMessageBytes()).isEqualTo(1 << 20);
        assertThat(changed.receiveWindowBytes()).isEqualTo(4 << 20);
        assertThat(changed.sendBufferMessages()).isEqualTo(100);
        assertThat(changed.channels()).isEqualTo(base.channels());
        assertThat(changed.withName("mine").name()).isEqualTo("mine");
    }

    @Test
    void badKnobsAreRejectedWithTheirName() {
        EngineConfig c = EngineConfig.defaults();

        assertThatThrownBy(() -> c.withMaxPacketBytes(100)).hasMessageContaining("maxPacketBytes");
        assertThatThrownBy(() -> c.withChannels(0)).hasMessageContaining("channels");
        assertThatThrownBy(() -> c.withChannels(257)).hasMessageContaining("channels");
        assertThatThrownBy(() -> c.withBackoff(0.5)).hasMessageContaining("backoff");
        assertThatThrownBy(() -> c.withTimeThreshold(0.5)).hasMessageContaining("timeThreshold");
        assertThatThrownBy(() -> c.withMinRto(Duration.ofMinutes(2))).hasMessageContaining("maxRto");
        assertThatThrownBy(() -> c.withInitialRtt(Duration.ZERO)).hasMessageContaining("initialRtt");
        assertThatThrownBy(() -> c.withReceiveWindowBytes(1000)).hasMessageContaining("receiveWindowBytes");
        assertThatThrownBy(() -> c.withSendBuffer(0, 1 << 20)).hasMessageContaining("sendBufferMessages");
        EngineConfig tiny = c.withReceiveWindowBytes(8 << 20).withSendBuffer(1, 8 << 20).withMaxPacketBytes(128);
        assertThatThrownBy(() -> tiny.withMaxMessageBytes(8 << 20))
                .hasMessageContaining("16-bit fragment count");
        assertThatThrownBy(() -> c.withKeepAlive(Duration.ofSeconds(-1))).hasMessageContaining("keepAlive");
    }

    @Test
    void theProbeTimeoutNeedsAThresholdToEverDeclareLoss() {
        assertThatThrownBy(() -> EngineConfig.defaults().withPacketThreshold(0).withTimeThreshold(0))
                .hasMessageContaining("PROBE");
        assertThat(EngineConfig.profile("kcp-default").packetThreshold()).as("RETRANSMIT needs none").isZero();
    }
}
