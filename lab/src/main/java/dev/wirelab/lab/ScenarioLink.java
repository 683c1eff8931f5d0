package dev.wirelab.lab;

import dev.wirelab.transport.Delivery;
import java.util.Locale;

/** The transports {@code compare} measures: TCP, and UDP in each delivery mode. */
enum ScenarioLink {
    TCP(TransportKind.TCP, Delivery.RELIABLE_ORDERED),
    UDP_UNRELIABLE(TransportKind.UDP, Delivery.UNRELIABLE),
    UDP_SEQUENCED(TransportKind.UDP, Delivery.SEQUENCED),
    UDP_RELIABLE(TransportKind.UDP, Delivery.RELIABLE),
    UDP_RELIABLE_ORDERED(TransportKind.UDP, Delivery.RELIABLE_ORDERED);

    final TransportKind transport;
    final Delivery delivery;

    ScenarioLink(TransportKind transport, Delivery delivery) {
        this.transport = transport;
        this.delivery = delivery;
    }

    /** {@code tcp}, {@code udp-reliable-ordered}: the names people type and read. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether every post must arrive (TCP, and UDP's reliable modes). */
    boolean reliable() {
        return delivery == Delivery.RELIABLE || delivery == Delivery.RELIABLE_ORDERED;
    }

    static ScenarioLink parse(String text) {
        for (ScenarioLink link : values()) {
            if (link.label().equalsIgnoreCase(text.strip())) {
                return link;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + text + "': choose tcp, udp-unreliable, "
                + "udp-sequenced, udp-reliable or udp-reliable-ordered");
    }
}
