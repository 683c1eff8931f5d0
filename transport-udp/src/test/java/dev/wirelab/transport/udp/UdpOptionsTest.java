package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelab.protocol.Framing;
import dev.wirelab.protocol.Limits;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UdpOptionsTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        UdpOptions options = UdpOptions.defaults();

        assertThat(options.limits()).isEqualTo(Limits.DEFAULTS);
        assertThat(options.limits().udpMaxDatagramBytes()).isEqualTo(1200);
        assertThat(options.delivery()).isEqualTo(Delivery.RELIABLE_ORDERED);
        assertThat(options.engine().name()).isEqualTo("quic-like");
        assertThat(options.impairment().isNone()).isTrue();
        assertThat(options.handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.keepaliveInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.closeLinger()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.cookieLifetime()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void everyWitherChangesOnlyItsOwnPart() {
        UdpOptions options = UdpOptions.defaults()
                .withDelivery(Delivery.RELIABLE)
                .withProfile("kcp-turbo")
                .withImpairment(Impairment.parse("loss=5%,seed=3"))
                .withMaxDatagramBytes(1472);

        assertThat(options.delivery()).isEqualTo(Delivery.RELIABLE);
        assertThat(options.engine().name()).isEqualTo("kcp-turbo");
        assertThat(options.impairment().loss()).isEqualTo(0.05);
        assertThat(options.limits().udpMaxDatagramBytes()).isEqualTo(1472);
        assertThat(options.limits().maxFrameBytes()).isEqualTo(Limits.DEFAULTS.maxFrameBytes());
        assertThat(options.limits().writeDeadline()).isEqualTo(Limits.DEFAULTS.writeDeadline());
    }

    @Test
    void aNewDatagramSizeKeepsEveryOtherLimitIncludingTheConnectionCaps() {
        Limits capped = Limits.DEFAULTS.withConnectionCaps(10, 5, 2, true).withSendQueueBytes(4096);

        UdpOptions options = UdpOptions.defaults().withLimits(capped).withMaxDatagramBytes(1472);

        assertThat(options.limits()).isEqualTo(capped.withUdpMaxDatagramBytes(1472));
        assertThat(options.limits().maxUnregistered()).isEqualTo(5);
        assertThat(options.limits().capLoopback()).isTrue();
    }

    @Test
    void impossibleCombinationsAreRefused() {
        UdpOptions options = UdpOptions.defaults();

        assertThatThrownBy(() -> options.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> options.withMaxDatagramBytes(100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("udpMaxDatagramBytes");
        assertThatThrownBy(() -> options.withMaxDatagramBytes(65_508))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> options.withProfile("warp-speed"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quic-like");
        assertThatThrownBy(() -> options.withHandshake(Duration.ZERO, Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theEngineGetsTheDatagramLimitLessTheHeaderTheFramingsCapAndTheKeepalive() {
        UdpTransport transport = UdpTransport.create(UdpOptions.defaults()
                .withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(3), Duration.ofSeconds(1)));

        EngineConfig small = transport.engineConfig(Framing.lines(8192));
        EngineConfig large = transport.engineConfig(Framing.lengthPrefixed(1 << 20));

        assertThat(small.maxPacketBytes()).isEqualTo(1200 - PacketHeader.BYTES);
        assertThat(small.maxMessageBytes()).isEqualTo(8192);
        assertThat(small.keepAlive()).isEqualTo(Duration.ofMillis(300));
        assertThat(large.maxMessageBytes()).isEqualTo(EngineConfig.MAX_MESSAGE_BYTES_DEFAULT);
        assertThat(UdpTransport.create(UdpOptions.defaults().withMaxDatagramBytes(65_507))
                .engineConfig(Framing.lines(8192)).maxPacketBytes()).isEqualTo(EngineConfig.MAX_PACKET_BYTES_MAX);
        assertThat(transport.name()).isEqualTo("udp");
    }
}
