package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HostPortTest {

    @Test
    void parsesHostAndPort() {
        assertThat(HostPort.parse("example.org:9000")).isEqualTo(new HostPort("example.org", 9000));
        assertThat(HostPort.parse("127.0.0.1:8080")).isEqualTo(new HostPort("127.0.0.1", 8080));
    }

    @Test
    void takesPort8080WhenOnlyAHostIsGiven() {
        assertThat(HostPort.parse("localhost")).isEqualTo(new HostPort("localhost", 8080));
    }

    @Test
    void parsesAnIpv6LiteralInBrackets() {
        assertThat(HostPort.parse("[::1]:8080")).isEqualTo(new HostPort("::1", 8080));
        assertThat(HostPort.parse("[fe80::1%eth0]:9")).isEqualTo(new HostPort("fe80::1%eth0", 9));
        assertThat(HostPort.parse("[::1]")).isEqualTo(new HostPort("::1", 8080));
        assertThat(HostPort.parse("[::1]:8080")).hasToString("[::1]:8080");
    }

    @Test
    void refusesAnIpv6LiteralWithoutBrackets() {
        assertThatThrownBy(() -> HostPort.parse("::1:8080"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("brackets");
    }

    @Test
    void refusesBadPortsAndMissingParts() {
        assertThatThrownBy(() -> HostPort.parse("host:0")).hasMessageContaining("0 is not a port: use 1 to 65535");
        assertThatThrownBy(() -> HostPort.parse("host:65536")).hasMessageContaining("65536 is not a port");
        assertThatThrownBy(() -> HostPort.parse("host:http")).hasMessageContaining("'http' is not a port number");
        assertThatThrownBy(() -> HostPort.parse("host:")).hasMessageContaining("is not a port number");
        assertThatThrownBy(() -> HostPort.parse(":8080")).hasMessageContaining("names no host");
        assertThatThrownBy(() -> HostPort.parse("[::1")).hasMessageContaining("no closing ']'");
        assertThatThrownBy(() -> HostPort.parse("[::1]8080")).hasMessageContaining("expected ':PORT'");
        assertThatThrownBy(() -> HostPort.parse("  ")).hasMessageContaining("empty address");
    }

    @Test
    void listenPortsMayBeZero() {
        assertThat(HostPort.parsePort("0", 0)).isZero();
        assertThat(HostPort.parsePort("65535", 0)).isEqualTo(65_535);
        assertThatThrownBy(() -> HostPort.parsePort("-1", 0)).hasMessageContaining("use 0 to 65535");
    }

    @Test
    void formatsResolvedAddressesWithoutTheSlash() throws Exception {
        assertThat(HostPort.format(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 41234)))
                .isEqualTo("127.0.0.1:41234");
        assertThat(HostPort.format(new InetSocketAddress(InetAddress.getByName("::1"), 8080)))
                .isEqualTo("[0:0:0:0:0:0:0:1]:8080");
        assertThat(HostPort.format(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 8080)))
                .isEqualTo("0.0.0.0:8080");
    }
}
