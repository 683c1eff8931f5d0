package dev.wirelab.transport.udp;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one {@link UdpTransport} has seen and done since it was created, over all its sockets: an
 * immutable snapshot. Bytes are datagram payloads as handed to and from the socket, wirelab's
 * header included, the IP and UDP headers (28 bytes per datagram over IPv4) not.
 *
 * @param datagramsIn         datagrams received, dropped ones included
 * @param datagramsOut        datagrams sent (before the impairment, if any, loses or copies them)
 * @param bytesIn             bytes of {@code datagramsIn}
 * @param bytesOut            bytes of {@code datagramsOut}
 * @param cookiesSent         COOKIE replies sent
 * @param acceptsSent         ACCEPT replies sent, repeats for a lost ACCEPT included
 * @param connectionsAccepted connections a listener created
 * @param connectionsOpened   connections {@code connect} completed
 * @param retransmits         frames the engines of connections that are over sent again, all causes
 *                            ({@link EngineStats#retransmits()}); open connections count once they end
 * @param spuriousRetransmits of those, ones the peer turned out to have received already
 * @param packetsLost         packets those engines declared lost
 * @param dropped             datagrams dropped in silence, by reason; every reason present
 */
public record UdpCounters(
        long datagramsIn,
        long datagramsOut,
        long bytesIn,
        long bytesOut,
        long cookiesSent,
        long acceptsSent,
        long connectionsAccepted,
        long connectionsOpened,
        long retransmits,
        long spuriousRetransmits,
        long packetsLost,
        Map<UdpDrop, Long> dropped) {

    public UdpCounters {
        Objects.requireNonNull(dropped, "dropped");
        EnumMap<UdpDrop, Long> all = new EnumMap<>(UdpDrop.class);
        for (UdpDrop reason : UdpDrop.values()) {
            all.put(reason, dropped.getOrDefault(reason, 0L));
        }
        dropped = Collections.unmodifiableMap(all);
    }

    /** Datagrams dropped for {@code reason}. */
    public long dropped(UdpDrop reason) {
        return dropped.get(reason);
    }

    /** Datagrams dropped for any reason. */
    public long droppedTotal() {
        long total = 0;
        for (long count : dropped.values()) {
            total += count;
        }
        return total;
    }
}
