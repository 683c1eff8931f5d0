package dev.wirelab.lab;

import dev.wirelab.transport.Connection;
import dev.wirelab.transport.TrafficStats;
import dev.wirelab.transport.udp.EngineConfig;
import dev.wirelab.transport.udp.EngineStats;
import dev.wirelab.transport.udp.UdpConnection;
import java.util.Objects;

/**
 * A snapshot of the client's connection counters, as {@code /stats} shows them
 * ({@link LineFormat#stats}): what every transport counts, plus the reliability engine's counters
 * on UDP.
 *
 * <p>The chat client hands out its {@link Connection} and nothing transport-specific, so that
 * {@code chat-core} depends on no transport; the lab depends on all of them, so it is here that a
 * UDP connection is recognised by its class and asked for its engine's counters.
 */
sealed interface ConnectionCounters {

    /** What every transport counts. */
    TrafficStats traffic();

    /**
     * A connection that counts only its traffic (TCP: the kernel keeps its retransmits and RTT).
     *
     * @param transport the transport's name as the command line spells it
     */
    record TrafficOnly(String transport, TrafficStats traffic) implements ConnectionCounters {
        public TrafficOnly {
            Objects.requireNonNull(transport, "transport");
            Objects.requireNonNull(traffic, "traffic");
        }
    }

    /**
     * A UDP connection: its datagram traffic and its reliability engine's counters.
     *
     * @param congestion the engine's congestion controller, which says whether
     *                   {@link EngineStats#congestionWindow()} counts bytes or packets
     */
    record Udp(TrafficStats traffic, EngineStats engine, EngineConfig.Congestion congestion) implements ConnectionCounters {
        public Udp {
            Objects.requireNonNull(traffic, "traffic");
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(congestion, "congestion");
        }
    }

    /**
     * The counters of {@code connection} now. With {@code --impair} the class test still holds: UDP
     * impairs its datagrams inside {@code UdpTransport}, so its connection is the
     * {@link UdpConnection} itself, and only TCP's is wrapped, which has no engine to show anyway.
     *
     * @param transport the transport's name, for a connection that is not UDP's
     * @param profile   the UDP engine profile both ends were started with ({@code --profile}); the
     *                  connection does not say which it runs
     */
    static ConnectionCounters of(Connection connection, String transport, String profile) {
        if (connection instanceof UdpConnection udp) {
            return new Udp(udp.stats(), udp.engineStats(), EngineConfig.profile(profile).congestion());
        }
        return new TrafficOnly(transport, connection.stats());
    }
}
