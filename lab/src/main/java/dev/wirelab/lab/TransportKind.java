package dev.wirelab.lab;

import dev.wirelab.protocol.Limits;
import dev.wirelab.transport.ImpairedTransport;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.Transport;
import dev.wirelab.transport.tcp.TcpTransport;
import java.util.Locale;

/** The transports the command line offers, by the names people type. */
enum TransportKind {
    TCP,
    /** Named now so {@code --transport udp} gets a clear answer instead of "unknown value". */
    UDP;

    /** The lower-case name used on the command line and in output. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this build has the transport; {@link #create} fails for one it has not. */
    boolean available() {
        return this == TCP;
    }

    Transport create(Limits limits) {
        return switch (this) {
            case TCP -> TcpTransport.create(limits);
            case UDP -> throw new UnsupportedOperationException(unavailableMessage());
        };
    }

    /**
     * The transport with {@code impairment} applied to what each of its connections sends
     * ({@code --impair}); unchanged for {@link Impairment#NONE}. TCP goes through
     * {@link ImpairedTransport}, where loss becomes a stall and a stream ignores duplication,
     * reordering and corruption.
     */
    Transport create(Limits limits, Impairment impairment) {
        return switch (this) {
            case TCP -> impairment.isNone() ? create(limits) : ImpairedTransport.wrap(create(limits), impairment);
            // The UDP transport applies an impairment to its datagrams itself (UdpOptions.withImpairment).
            case UDP -> throw new UnsupportedOperationException(unavailableMessage());
        };
    }

    static String unavailableMessage() {
        return "the UDP transport is not available yet; use --transport tcp";
    }

    /**
     * Parses a name as typed, ignoring case.
     *
     * @throws IllegalArgumentException naming the choices, or saying UDP is not there yet
     */
    static TransportKind parse(String text) {
        for (TransportKind kind : values()) {
            if (kind.label().equalsIgnoreCase(text.strip())) {
                if (!kind.available()) {
                    throw new IllegalArgumentException(unavailableMessage());
                }
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + text + "': choose tcp (udp is coming)");
    }
}
