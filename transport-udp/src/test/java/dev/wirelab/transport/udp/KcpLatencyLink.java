package dev.wirelab.transport.udp;

import dev.wirelab.transport.LinkModel;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One direction of KCP's own test link ({@code LatencySimulator} in skywind3000/kcp {@code test.h}),
 * as a {@link LinkSimulator.Wire}, so the engine can be run on exactly the link KCP's published
 * figures come from:
 * <ul>
 *   <li>loss from a shuffle bag: of every 100 datagrams exactly {@code lossPercent} are lost (KCP
 *       draws {@code r.random() < lostrate} from a bag of 0..99 without replacement);</li>
 *   <li>delay {@code minMillis + rand() % (maxMillis - minMillis)} whole milliseconds (30..61 ms for
 *       KCP's 60..125 ms RTT halved with integer division);</li>
 *   <li>first in, first out: KCP's tunnel is a list read from its head only, so a datagram never
 *       overtakes an earlier one; it waits behind it instead.</li>
 * </ul>
 */
final class KcpLatencyLink implements LinkSimulator.Wire {

    private static final long MILLIS = 1_000_000L;

    private final SplittableRandom random;
    private final int lossPercent;
    private final int minMillis;
    private final int maxMillis;
    private final int[] bag = new int[100];
    private int bagSize;
    private long lastArrival = Long.MIN_VALUE;

    KcpLatencyLink(long seed, int lossPercent, int minMillis, int maxMillis) {
        this.random = new SplittableRandom(seed);
        this.lossPercent = lossPercent;
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
    }

    /** KCP's test: 10% round-trip loss and RTT 60..125 ms, so 5% and 30..61 ms each way. */
    static KcpLatencyLink reference(long seed) {
        return new KcpLatencyLink(seed, 10 / 2, 60 / 2, 125 / 2);
    }

    @Override
    public List<LinkModel.Arrival> send(byte[] datagram, long nowNanos) {
        if (draw() < lossPercent) {
            return List.of();
        }
        long delay = minMillis + (maxMillis > minMillis ? random.nextInt(maxMillis - minMillis) : 0);
        long at = Math.max(nowNanos + delay * MILLIS, lastArrival);
        lastArrival = at;
        return List.of(new LinkModel.Arrival(at, datagram.clone()));
    }

    private int draw() {
        if (bagSize == 0) {
            for (int i = 0; i < bag.length; i++) {
                bag[i] = i;
            }
            bagSize = bag.length;
        }
        int i = random.nextInt(bagSize);
        int x = bag[i];
        bag[i] = bag[--bagSize];
        return x;
    }
}
