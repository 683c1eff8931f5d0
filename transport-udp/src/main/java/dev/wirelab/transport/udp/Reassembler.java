package dev.wirelab.transport.udp;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts fragmented messages back together under one memory budget, which also counts whole messages
 * that wait for their turn on an ordered channel ({@link #hold}/{@link #release}). Everything a peer
 * can make it keep is counted: each fragment's bytes plus {@link #PIECE_OVERHEAD}, each partial
 * message plus {@link #MESSAGE_OVERHEAD}, so many empty fragments cost memory too.
 *
 * <ul>
 *   <li>A partial <em>unreliable</em> (or sequenced) message is dropped when it is older than the
 *       timeout, or evicted, oldest first, to make room for newer fragments.</li>
 *   <li>A partial <em>reliable</em> message is never dropped: the sender repairs its fragments, and
 *       the engine admits reliable fragments only when they fit (otherwise the whole packet is
 *       refused unacknowledged and the sender sends it again later).</li>
 *   <li>A message whose fragments add up to more than the maximum message size is dropped.</li>
 * </ul>
 * Not thread-safe.
 */
final class Reassembler {

    /** Bytes counted per stored fragment besides its payload. */
    static final int PIECE_OVERHEAD = 48;
    /** Bytes counted per partial or waiting message besides its fragments. */
    static final int MESSAGE_OVERHEAD = 96;

    static final long NEVER = Long.MAX_VALUE;

    /** What became of one offered fragment. */
    sealed interface Result {
        /** The message is whole. */
        record Complete(byte[] message) implements Result {
        }

        /** Stored; more fragments are needed. */
        record Incomplete() implements Result {
        }

        /** This fragment was already stored. */
        record Duplicate() implements Result {
        }

        /** Not stored, and why. */
        record Dropped(Reason reason) implements Result {
        }
    }

    /** Why a fragment was dropped. */
    enum Reason {
        /** The fragments add up to more than the maximum message size. */
        TOO_LARGE,
        /** No room under the limit. */
        MEMORY,
        /** The fragment count differs from earlier fragments of the same message. */
        INCONSISTENT
    }

    private record Key(int stream, long seq) {
    }

    private static final class Partial {
        final int count;
        final long createdNanos;
        final Map<Integer, byte[]> pieces = new HashMap<>();
        long payloadBytes;
        long heldBytes;

        Partial(int count, long createdNanos) {
            this.count = count;
            this.createdNanos = createdNanos;
        }
    }

    private final long capacity;
    private final int maxMessageBytes;
    private final long timeoutNanos;
    private final Map<Key, Partial> reliable = new HashMap<>();
    private final LinkedHashMap<Key, Partial> unreliable = new LinkedHashMap<>();
    private long held;
    private long dropped;

    Reassembler(long capacity, int maxMessageBytes, long timeoutNanos) {
        this.capacity = capacity;
        this.maxMessageBytes = maxMessageBytes;
        this.timeoutNanos = timeoutNanos;
    }

    /** Bytes held now: partial messages and held whole ones. */
    long held() {
        return held;
    }

    long capacity() {
        return capacity;
    }

    /** Free bytes under the capacity (what the receiver advertises). */
    long free() {
        return Math.max(0, capacity - held);
    }

    /** Partial unreliable messages dropped so far (timeout, eviction, size). */
    long droppedPartials() {
        return dropped;
    }

    int partialCount() {
        return reliable.size() + unreliable.size();
    }

    /** Counts a whole message held outside (an ordered channel's waiting message). */
    void hold(long bytes) {
        held += bytes;
    }

    void release(long bytes) {
        held -= bytes;
    }

    /** Bytes a fragment would add if stored: 0 if that piece is already here. */
    long bytesToAdd(int stream, boolean isReliable, long seq, int index, int length) {
        Partial p = (isReliable ? reliable : unreliable).get(new Key(stream, seq));
        if (p != null) {
            return p.pieces.containsKey(index) ? 0 : PIECE_OVERHEAD + length;
        }
        return MESSAGE_OVERHEAD + PIECE_OVERHEAD + length;
    }

    /** Whether the piece is already stored. */
    boolean has(int stream, boolean isReliable, long seq, int index) {
        Partial p = (isReliable ? reliable : unreliable).get(new Key(stream, seq));
        return p != null && p.pieces.containsKey(index);
    }

    /**
     * Offers one fragment.
     *
     * @param limit the most bytes that may be held once it is stored (the capacity, or more for
     *              the fragment a reliable channel is waiting for)
     */
    Result offer(int stream, boolean isReliable, long seq, int index, int count, byte[] payload, long nowNanos,
            long limit) {
        Key key = new Key(stream, seq);
        Map<Key, Partial> map = isReliable ? reliable : unreliable;
        Partial p = map.get(key);
        if (p != null && p.count != count) {
            return new Result.Dropped(Reason.INCONSISTENT);
        }
        if (p != null && p.pieces.containsKey(index)) {
            return new Result.Duplicate();
        }
        long already = p == null ? 0 : p.payloadBytes;
        if (already + payload.length > maxMessageBytes) {
            if (p != null) {
                remove(map, key, p);
            }
            return new Result.Dropped(Reason.TOO_LARGE);
        }
        long add = (p == null ? MESSAGE_OVERHEAD : 0) + PIECE_OVERHEAD + payload.length;
        if (held + add > limit && !isReliable) {
            Iterator<Map.Entry<Key, Partial>> it = unreliable.entrySet().iterator();
            while (held + add > limit && it.hasNext()) {
                Map.Entry<Key, Partial> e = it.next();
                if (e.getValue() != p) {
                    held -= e.getValue().heldBytes;
                    dropped++;
                    it.remove();
                }
            }
        }
        if (held + add > limit) {
            if (p != null && !isReliable) {
                remove(map, key, p);
            }
            return new Result.Dropped(Reason.MEMORY);
        }
        if (p == null) {
            p = new Partial(count, nowNanos);
            map.put(key, p);
        }
        p.pieces.put(index, payload);
        p.payloadBytes += payload.length;
        p.heldBytes += add;
        held += add;
        if (p.pieces.size() < p.count) {
            return new Result.Incomplete();
        }
        byte[] message = new byte[(int) p.payloadBytes];
        int pos = 0;
        for (int i = 0; i < p.count; i++) {
            byte[] piece = p.pieces.get(i);
            System.arraycopy(piece, 0, message, pos, piece.length);
            pos += piece.length;
        }
        map.remove(key);
        held -= p.heldBytes;
        return new Result.Complete(message);
    }

    /** Drops partial unreliable messages older than the timeout; returns how many. */
    int expire(long nowNanos) {
        int n = 0;
        Iterator<Partial> it = unreliable.values().iterator();
        while (it.hasNext()) {
            Partial p = it.next();
            if (p.createdNanos + timeoutNanos > nowNanos) {
                break; // creation order: the rest are younger
            }
            held -= p.heldBytes;
            it.remove();
            n++;
        }
        dropped += n;
        return n;
    }

    /** When the oldest partial unreliable message times out; {@link #NEVER} if there is none. */
    long nextDeadline() {
        if (unreliable.isEmpty()) {
            return NEVER;
        }
        return unreliable.values().iterator().next().createdNanos + timeoutNanos;
    }

    /** Drops partial unreliable messages of one stream numbered below {@code seq}; returns how many. */
    int discardBelow(int stream, long seq) {
        if (unreliable.isEmpty()) {
            return 0;
        }
        int n = 0;
        Iterator<Map.Entry<Key, Partial>> it = unreliable.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Partial> e = it.next();
            if (e.getKey().stream() == stream && e.getKey().seq() < seq) {
                held -= e.getValue().heldBytes;
                it.remove();
                n++;
            }
        }
        dropped += n;
        return n;
    }

    private void remove(Map<Key, Partial> map, Key key, Partial p) {
        map.remove(key);
        held -= p.heldBytes;
        dropped++;
    }
}
