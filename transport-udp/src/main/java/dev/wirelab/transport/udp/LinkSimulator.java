package dev.wirelab.transport.udp;

import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.LinkModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Two {@link ReliableEngine}s talking over two simulated one-way links, in simulated time: a
 * discrete-event loop over packet arrivals, engine deadlines and scheduled actions. No threads, no
 * sleeps, no wall clock: the same configuration, impairments (seeds included) and actions give the
 * same run, event for event, on every machine. A minute of traffic takes milliseconds.
 *
 * <pre>{@code
 * LinkSimulator sim = LinkSimulator.create(EngineConfig.profile("kcp-turbo"),
 *         Impairment.parse("loss=5%,delay=30ms,jitter=32ms,seed=1"),
 *         Impairment.parse("loss=5%,delay=30ms,jitter=32ms,seed=2"));
 * sim.b().onReceive(r -> sim.b().send(r.message(), r.delivery(), r.channel()));  // echo
 * for (int i = 0; i < 100; i++) {
 *     byte[] m = ...;
 *     sim.schedule(i * 20_000_000L, () -> sim.a().send(m, Delivery.RELIABLE_ORDERED, 0));
 * }
 * sim.runUntilIdle();
 * sim.a().received();   // the echoes, each with its simulated arrival time
 * }</pre>
 *
 * <p>At one instant, scheduled actions and arrivals run first (in the order they were scheduled),
 * then side A's engine deadline, then side B's. Messages an engine delivers are recorded at once;
 * {@link Side#onReceive} handlers run right after the engine call returns (an engine must not be
 * re-entered from its own output), at the same simulated time. Not thread-safe.
 */
public final class LinkSimulator {

    /** One direction of the simulated wire: what becomes of a datagram sent at some time. */
    @FunctionalInterface
    public interface Wire {
        /** The arrivals of one datagram: none (lost), one, or two (duplicated). */
        List<LinkModel.Arrival> send(byte[] datagram, long nowNanos);
    }

    /**
     * One message an engine delivered.
     *
     * @param atNanos  simulated time of delivery
     * @param delivery its delivery mode
     * @param channel  its channel
     * @param message  its bytes
     */
    public record Received(long atNanos, Delivery delivery, int channel, byte[] message) {
        public Received {
            Objects.requireNonNull(delivery, "delivery");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Received r && r.atNanos == atNanos && r.delivery == delivery && r.channel == channel
                    && Arrays.equals(r.message, message);
        }

        @Override
        public int hashCode() {
            return Objects.hash(atNanos, delivery, channel) * 31 + Arrays.hashCode(message);
        }

        @Override
        public String toString() {
            return "Received[" + atNanos + " ns " + delivery + " ch" + channel + " " + message.length + " B]";
        }
    }

    /** How long {@link #runUntilIdle()} may run, in simulated time, before it gives up. */
    public static final long IDLE_LIMIT_NANOS = 3_600_000_000_000L;

    private static final long NEVER = Long.MAX_VALUE;
    private static final int STUCK_LIMIT = 1_000_000;

    private record Event(long at, long order, Runnable action) {
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>(
            (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    private final Side a;
    private final Side b;
    private long now;
    private long order;
    private long steps;

    private LinkSimulator(EngineConfig configA, EngineConfig configB, Wire aToB, Wire bToA, long startNanos) {
        this.now = startNanos;
        this.a = new Side("A", configA, aToB);
        this.b = new Side("B", configB, bToA);
        a.peer = b;
        b.peer = a;
    }

    /**
     * Two engines with the same configuration over {@link LinkModel}s with these impairments, starting
     * at simulated time 0. Give the two directions different seeds.
     */
    public static LinkSimulator create(EngineConfig config, Impairment aToB, Impairment bToA) {
        Objects.requireNonNull(config, "config");
        LinkModel ab = new LinkModel(Objects.requireNonNull(aToB, "aToB"));
        LinkModel ba = new LinkModel(Objects.requireNonNull(bToA, "bToA"));
        return new LinkSimulator(config, config, ab::send, ba::send, 0);
    }

    /** Two engines, each with its own configuration, over any two wires, starting at simulated time 0. */
    public static LinkSimulator create(EngineConfig configA, EngineConfig configB, Wire aToB, Wire bToA) {
        return new LinkSimulator(Objects.requireNonNull(configA, "configA"), Objects.requireNonNull(configB, "configB"),
                Objects.requireNonNull(aToB, "aToB"), Objects.requireNonNull(bToA, "bToA"), 0);
    }

    /** The side that usually starts (the client). */
    public Side a() {
        return a;
    }

    /** The other side (the server, or the echoer). */
    public Side b() {
        return b;
    }

    /** The simulated time, in nanoseconds. */
    public long now() {
        return now;
    }

    /** Events processed so far (arrivals, actions, engine ticks). */
    public long steps() {
        return steps;
    }

    /**
     * Runs {@code action} at simulated time {@code atNanos} (not before {@link #now()}), for example a
     * {@link Side#send}.
     */
    public void schedule(long atNanos, Runnable action) {
        Objects.requireNonNull(action, "action");
        if (atNanos < now) {
            throw new IllegalArgumentException("cannot schedule in the past: " + atNanos + " < " + now);
        }
        events.add(new Event(atNanos, order++, action));
    }

    /** Processes everything due up to and including {@code nanos}; afterwards {@link #now()} is {@code nanos}. */
    public void runUntil(long nanos) {
        while (step(nanos)) {
            // next event
        }
        now = Math.max(now, nanos);
    }

    /**
     * Runs until both engines are {@link ReliableEngine#quiescent() quiescent} and nothing is scheduled
     * or on the wire (keepalives alone do not count as activity), or {@code limitNanos} of simulated
     * time has passed.
     *
     * @return whether it became idle
     */
    public boolean runUntilIdle(long limitNanos) {
        long end = limitNanos > NEVER - now ? NEVER : now + limitNanos;
        while (!idle()) {
            if (!step(end)) {
                return idle();
            }
        }
        return true;
    }

    /**
     * {@link #runUntilIdle(long)} with {@link #IDLE_LIMIT_NANOS}.
     *
     * @throws IllegalStateException if the engines do not become idle within that simulated time
     */
    public void runUntilIdle() {
        if (!runUntilIdle(IDLE_LIMIT_NANOS)) {
            throw new IllegalStateException("not idle after " + IDLE_LIMIT_NANOS + " ns of simulated time: A "
                    + a.stats() + ", B " + b.stats());
        }
    }

    /** Engine bytes both sides sent per payload byte both delivered (retransmissions and ACKs included). */
    public double wireBytesPerDeliveredByte() {
        long delivered = a.engine.stats().bytesDelivered() + b.engine.stats().bytesDelivered();
        long wire = a.engine.stats().bytesOut() + b.engine.stats().bytesOut();
        return delivered == 0 ? Double.NaN : (double) wire / delivered;
    }

    private boolean idle() {
        return events.isEmpty() && a.engine.quiescent() && b.engine.quiescent();
    }

    private int stuck;
    private long lastStepTime = Long.MIN_VALUE;

    /** Processes the next thing due at or before {@code limit}; false if there is none. */
    private boolean step(long limit) {
        long tEvent = events.isEmpty() ? NEVER : events.peek().at;
        long tA = a.engine.nextDeadlineNanos();
        long tB = b.engine.nextDeadlineNanos();
        long t = Math.min(tEvent, Math.min(tA, tB));
        if (t > limit || t == NEVER) {
            return false;
        }
        if (t <= lastStepTime) {
            if (++stuck > STUCK_LIMIT) {
                throw new IllegalStateException("simulation makes no progress at " + t + " ns");
            }
        } else {
            stuck = 0;
            lastStepTime = t;
        }
        now = Math.max(now, t);
        steps++;
        if (tEvent <= t) {
            events.poll().action.run();
        } else if (tA <= t) {
            a.engine.tick(now);
        } else {
            b.engine.tick(now);
        }
        a.runHandlers();
        b.runHandlers();
        return true;
    }

    /** One end of the simulated link: an engine, its wire to the other end and what it received. */
    public final class Side implements EngineOutput {
        private final String name;
        private final Wire wire;
        private final ReliableEngine engine;
        private final List<Received> received = new ArrayList<>();
        private final List<Received> unhandled = new ArrayList<>();
        private final List<Consumer<Received>> handlers = new ArrayList<>();
        private Side peer;

        private Side(String name, EngineConfig config, Wire wire) {
            this.name = name;
            this.wire = wire;
            this.engine = new ReliableEngine(config, this, now);
        }

        /** "A" or "B". */
        public String name() {
            return name;
        }

        /** This side's engine (read its stats, or drive it directly). */
        public ReliableEngine engine() {
            return engine;
        }

        /** This side's engine counters now. */
        public EngineStats stats() {
            return engine.stats();
        }

        /** Sends a message now, at {@link LinkSimulator#now()}. */
        public Offer send(byte[] message, Delivery delivery, int channel) {
            return engine.send(message, delivery, channel, now);
        }

        /** Everything this side's engine delivered, in delivery order (a live, read-only view). */
        public List<Received> received() {
            return Collections.unmodifiableList(received);
        }

        /** Calls {@code handler} with each message this side delivers from now on, after the engine call returns. */
        public void onReceive(Consumer<Received> handler) {
            handlers.add(Objects.requireNonNull(handler, "handler"));
        }

        @Override
        public void transmit(byte[] packet) {
            for (LinkModel.Arrival arrival : wire.send(packet, now)) {
                Side to = peer;
                byte[] bytes = arrival.bytes();
                schedule(Math.max(now, arrival.atNanos()), () -> to.engine.receive(bytes, 0, bytes.length, now));
            }
        }

        @Override
        public void deliver(Delivery delivery, int channel, byte[] message) {
            Received r = new Received(now, delivery, channel, message);
            received.add(r);
            if (!handlers.isEmpty()) {
                unhandled.add(r);
            }
        }

        private void runHandlers() {
            while (!unhandled.isEmpty()) {
                List<Received> batch = new ArrayList<>(unhandled);
                unhandled.clear();
                for (Received r : batch) {
                    for (Consumer<Received> h : handlers) {
                        h.accept(r);
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "Side[" + name + "]";
        }
    }
}
