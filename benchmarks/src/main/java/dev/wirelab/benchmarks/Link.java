package dev.wirelab.benchmarks;

import dev.wirelab.protocol.Limits;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Transport;
import dev.wirelab.transport.tcp.TcpTransport;
import dev.wirelab.transport.udp.UdpOptions;
import dev.wirelab.transport.udp.UdpTransport;
import java.time.Duration;
import java.util.Locale;

/**
 * A transport and the delivery its frames ask for, by the name the benchmarks take as a parameter:
 * {@code tcp}, or {@code udp-} followed by a delivery ({@code udp-reliable-ordered}, ...). TCP gives
 * every frame reliable, ordered delivery whatever is asked.
 *
 * @param name     the parameter value
 * @param udp      whether it is UDP
 * @param delivery what each frame asks for
 */
record Link(String name, boolean udp, Delivery delivery) {

    /** A connection may take this long to set up before the benchmark fails. */
    static final Duration SETUP_TIMEOUT = Duration.ofSeconds(10);

    static Link parse(String name) {
        if (name.equals("tcp")) {
            return new Link(name, false, Delivery.RELIABLE_ORDERED);
        }
        if (name.startsWith("udp-")) {
            String mode = name.substring(4).replace('-', '_').toUpperCase(Locale.ROOT);
            return new Link(name, true, Delivery.valueOf(mode));
        }
        throw new IllegalArgumentException("unknown link '" + name
                + "': tcp, udp-unreliable, udp-sequenced, udp-reliable or udp-reliable-ordered");
    }

    /**
     * A new transport with default limits. UDP's handshake rate limit per source address is raised,
     * since every benchmark client connects from loopback at once.
     */
    Transport transport() {
        if (!udp) {
            return TcpTransport.create(Limits.DEFAULTS);
        }
        return UdpTransport.create(UdpOptions.defaults()
                .withLimits(Limits.DEFAULTS)
                .withDelivery(delivery)
                .withCookieRules(UdpOptions.COOKIE_LIFETIME_DEFAULT, 100_000, 100_000));
    }
}
