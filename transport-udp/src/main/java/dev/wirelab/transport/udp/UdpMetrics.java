package dev.wirelab.transport.udp;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link UdpCounters}; updated from any thread, read at any time. */
final class UdpMetrics {

    private static final System.Logger LOG = System.getLogger(UdpMetrics.class.getName());

    final LongAdder datagramsIn = new LongAdder();
    final LongAdder datagramsOut = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder cookiesSent = new LongAdder();
    final LongAdder acceptsSent = new LongAdder();
    final LongAdder connectionsAccepted = new LongAdder();
    final LongAdder connectionsOpened = new LongAdder();
    final LongAdder retransmits = new LongAdder();
    final LongAdder spuriousRetransmits = new LongAdder();
    final LongAdder packetsLost = new LongAdder();
    private final AtomicLongArray dropped = new AtomicLongArray(UdpDrop.values().length);

    /** Counts a datagram dropped in silence, with a debug line naming the reason. */
    void drop(UdpDrop reason, Object from) {
        dropped.incrementAndGet(reason.ordinal());
        LOG.log(System.Logger.Level.DEBUG, "dropped a datagram from {0}: {1}", from, reason);
    }

    /** Adds the engine totals of a connection that is over (called once per connection). */
    void finished(EngineStats engine) {
        retransmits.add(engine.retransmits());
        spuriousRetransmits.add(engine.spuriousRetransmits());
        packetsLost.add(engine.packetsLost());
    }

    UdpCounters snapshot() {
        Map<UdpDrop, Long> drops = new EnumMap<>(UdpDrop.class);
        for (UdpDrop reason : UdpDrop.values()) {
            drops.put(reason, dropped.get(reason.ordinal()));
        }
        return new UdpCounters(datagramsIn.sum(), datagramsOut.sum(), bytesIn.sum(), bytesOut.sum(),
                cookiesSent.sum(), acceptsSent.sum(), connectionsAccepted.sum(), connectionsOpened.sum(), retransmits.sum(),
                spuriousRetransmits.sum(), packetsLost.sum(), drops);
    }
}
