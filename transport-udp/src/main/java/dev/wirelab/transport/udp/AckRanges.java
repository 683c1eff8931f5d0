package dev.wirelab.transport.udp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A set of packet numbers kept as disjoint inclusive ranges, bounded: when it would hold more than
 * {@code maxRanges} ranges the lowest range is forgotten and the {@link #floor()} rises above it.
 * Numbers below the floor count as "too old to tell" ({@link #isBelowFloor}), which a receiver
 * treats as stale. Not thread-safe.
 */
final class AckRanges {

    /** One inclusive range of packet numbers. */
    record Range(long smallest, long largest) {
        Range {
            if (smallest < 0 || largest < smallest) {
                throw new IllegalArgumentException("bad range " + smallest + ".." + largest);
            }
        }

        long count() {
            return largest - smallest + 1;
        }
    }

    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private final int maxRanges;
    private long floor;

    AckRanges(int maxRanges) {
        if (maxRanges < 1) {
            throw new IllegalArgumentException("maxRanges must be positive: " + maxRanges);
        }
        this.maxRanges = maxRanges;
    }

    /**
     * Adds one number.
     *
     * @return false if it was already present or is below the floor
     */
    boolean add(long n) {
        if (n < floor || contains(n)) {
            return false;
        }
        addRange(n, n);
        return true;
    }

    /** Adds every number of an inclusive range (the part below the floor is ignored). */
    void addRange(long smallest, long largest) {
        long start = Math.max(smallest, floor);
        long end = largest;
        if (end < start) {
            return;
        }
        Map.Entry<Long, Long> lower = ranges.floorEntry(start);
        if (lower != null && lower.getValue() >= start - 1) {
            start = lower.getKey();
            end = Math.max(end, lower.getValue());
            ranges.remove(lower.getKey());
        }
        for (Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
                next != null && next.getKey() <= end + 1;
                next = ranges.ceilingEntry(start)) {
            end = Math.max(end, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(start, end);
        while (ranges.size() > maxRanges) {
            Map.Entry<Long, Long> lowest = ranges.pollFirstEntry();
            floor = lowest.getValue() + 1;
        }
    }

    boolean contains(long n) {
        Map.Entry<Long, Long> e = ranges.floorEntry(n);
        return e != null && e.getValue() >= n;
    }

    /** Whether any number in {@code [from, to]} is present. */
    boolean intersects(long from, long to) {
        if (to < from) {
            return false;
        }
        Map.Entry<Long, Long> e = ranges.floorEntry(to);
        return e != null && e.getValue() >= from;
    }

    /** Forgets every number below {@code n} and raises the floor to it. */
    void removeBelow(long n) {
        if (n <= floor) {
            return;
        }
        floor = n;
        while (!ranges.isEmpty() && ranges.firstEntry().getValue() < n) {
            ranges.pollFirstEntry();
        }
        if (!ranges.isEmpty() && ranges.firstKey() < n) {
            long end = ranges.pollFirstEntry().getValue();
            ranges.put(n, end);
        }
    }

    boolean isBelowFloor(long n) {
        return n < floor;
    }

    long floor() {
        return floor;
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    int rangeCount() {
        return ranges.size();
    }

    /** The largest number present; -1 when empty. */
    long largest() {
        return ranges.isEmpty() ? -1 : ranges.lastEntry().getValue();
    }

    /** Up to {@code max} ranges, largest first. */
    List<Range> descending(int max) {
        List<Range> out = new ArrayList<>(Math.min(max, ranges.size()));
        for (Map.Entry<Long, Long> e : ranges.descendingMap().entrySet()) {
            if (out.size() >= max) {
                break;
            }
            out.add(new Range(e.getKey(), e.getValue()));
        }
        return out;
    }

    @Override
    public String toString() {
        return "AckRanges" + descending(Integer.MAX_VALUE) + " floor=" + floor;
    }
}
