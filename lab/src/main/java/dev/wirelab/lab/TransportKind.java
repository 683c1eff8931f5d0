package dev.wirelab.lab;

import dev.wirelab.protocol.Limits;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.ImpairedTransport;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.Transport;
import dev.wirelab.transport.tcp.TcpTransport;
import dev.wirelab.transport.udp.EngineConfig;
import dev.wirelab.transport.udp.UdpOptions;
import dev.wirelab.transport.udp.UdpTransport;
import java.util.Locale;

/** The transports the command line offers, by the names people type. */
enum TransportKind {
    TCP,
    UDP;

    /** The lower-case name used on the command line and in output. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    Transport create(Limits limits) {
        return create(limits, Impairment.NONE, UdpChoice.DEFAULT);
    }

    /**
     * The transport with {@code impairment} applied to what each of its connections sends
     * ({@code --impair}); unchanged for {@link Impairment#NONE}. TCP goes through
     * {@link ImpairedTransport}, where loss becomes a stall and a stream ignores duplication,
     * reordering and corruption; UDP applies every knob to its datagrams itself. {@code udp} is
     * what only UDP can choose: the delivery of frames sent without one, and the engine profile.
     */
    Transport create(Limits limits, Impairment impairment, UdpChoice udp) {
        return switch (this) {
            case TCP -> impairment.isNone() ? TcpTransport.create(limits)
                    : ImpairedTransport.wrap(TcpTransport.create(limits), impairment);
            case UDP -> UdpTransport.create(UdpOptions.defaults().withLimits(limits).withDelivery(udp.delivery())
                    .withProfile(udp.profile()).withImpairment(impairment));
        };
    }

    /** What this transport does with a delivery mode, for the startup line. */
    String describe(UdpChoice udp) {
        return switch (this) {
            case TCP -> "tcp";
            case UDP -> UdpChoice.label(udp.delivery()) + ", " + udp.profile();
        };
    }

    /**
     * Parses a name as typed, ignoring case.
     *
     * @throws IllegalArgumentException naming the choices
     */
    static TransportKind parse(String text) {
        for (TransportKind kind : values()) {
            if (kind.label().equalsIgnoreCase(text.strip())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + text + "': choose tcp or udp");
    }

    /**
     * UDP's own choices.
     *
     * @param delivery what frames sent without a delivery get ({@code --delivery}); the chat sends all
     *                 its frames that way
     * @param profile  the reliability engine's profile ({@code --profile})
     */
    record UdpChoice(Delivery delivery, String profile) {
        static final UdpChoice DEFAULT = new UdpChoice(Delivery.RELIABLE_ORDERED, UdpOptions.PROFILE_DEFAULT);

        UdpChoice {
            if (!EngineConfig.profileNames().contains(profile)) {
                throw new IllegalArgumentException("unknown profile '" + profile + "': choose one of "
                        + String.join(", ", EngineConfig.profileNames()));
            }
        }

        /** reliable-ordered, unreliable, ...: the names people type. */
        static String label(Delivery delivery) {
            return delivery.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Delivery parseDelivery(String text) {
            for (Delivery delivery : Delivery.values()) {
                if (label(delivery).equalsIgnoreCase(text.strip())) {
                    return delivery;
                }
            }
            throw new IllegalArgumentException("unknown delivery '" + text
                    + "': choose unreliable, sequenced, reliable or reliable-ordered");
        }
    }
}
