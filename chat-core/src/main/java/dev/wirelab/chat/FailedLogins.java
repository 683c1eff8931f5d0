package dev.wirelab.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed LOGINs per name, so a name's password cannot be guessed faster than
 * {@link #MAX_FAILURES_DEFAULT} times per {@link #WINDOW_DEFAULT}, however many connections the
 * guesser opens (the per-connection limit, {@link ChatState#MAX_FAILED_LOGINS}, only costs a
 * reconnect). Unknown names are counted like real ones, so the throttle does not tell which names
 * have accounts. Pure: the caller passes the time and holds the lock.
 *
 * <p>The trade-off: XEP-0205 warns that locking an account after failed logins lets anyone lock
 * its owner out. This only delays: a throttled name is refused for what is left of the window
 * (the right password included), never longer, and a success clears its failures.
 *
 * <p>Memory is bounded at {@link #MAX_NAMES_DEFAULT} names, each at most {@code maxNameLength}
 * characters (the caller counts only valid names). Past that the name whose latest failure is
 * oldest is forgotten. Refusing new names instead would let a full map switch the throttle off for
 * everyone else, and throttling everyone would lock everybody out. Forgetting a name whose window
 * is still open hands its guesser those guesses again, but it takes {@link #MAX_NAMES_DEFAULT}
 * failures, each a password hash, within one window: at two hashes at a time and about 185 ms each
 * ({@code ChatServer.HASHING_PERMITS}, 600,000 iterations) about 650 fit a minute, so at the
 * defaults only expired entries are forgotten.
 */
final class FailedLogins {

    /** Failed LOGINs for one name before it is refused (the reference: 3 a minute per account, as ergo). */
    static final int MAX_FAILURES_DEFAULT = 3;

    /** How long a failure counts; also the longest a name is refused. */
    static final Duration WINDOW_DEFAULT = Duration.ofSeconds(60);

    /** Names tracked at most: a few hundred kilobytes at 32-character names. */
    static final int MAX_NAMES_DEFAULT = 4096;

    private final int maxFailures;
    private final Duration window;
    private final int maxNames;
    /** Folded name to its recent failures, oldest first; ordered by each name's latest failure. */
    private final Map<String, ArrayDeque<Instant>> byName = new LinkedHashMap<>();

    FailedLogins() {
        this(MAX_FAILURES_DEFAULT, WINDOW_DEFAULT, MAX_NAMES_DEFAULT);
    }

    FailedLogins(int maxFailures, Duration window, int maxNames) {
        if (maxFailures <= 0 || maxNames <= 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("maxFailures, window and maxNames must be positive");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.maxNames = maxNames;
    }

    /** How long {@code name} is still refused, or empty if it may try now. */
    Optional<Duration> refusedFor(String name, Instant now) {
        ArrayDeque<Instant> failures = byName.get(Names.fold(name));
        if (failures == null) {
            return Optional.empty();
        }
        dropExpired(failures, now);
        if (failures.isEmpty()) {
            byName.remove(Names.fold(name));
        }
        if (failures.size() < maxFailures) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, failures.peekFirst().plus(window)));
    }

    /** Counts a failed LOGIN for {@code name}. */
    void failed(String name, Instant now) {
        String key = Names.fold(name);
        // Taken out and put back, so the map stays ordered by each name's latest failure.
        ArrayDeque<Instant> failures = byName.remove(key);
        if (failures == null) {
            failures = new ArrayDeque<>(maxFailures);
        }
        dropExpired(failures, now);
        failures.addLast(now);
        while (failures.size() > maxFailures) {
            failures.removeFirst();
        }
        byName.put(key, failures);
        forgetExpiredAndOldest(now);
    }

    /** A successful LOGIN: the name starts afresh. */
    void succeeded(String name) {
        byName.remove(Names.fold(name));
    }

    /** Names with failures remembered now (expired ones may linger until the next failure). */
    int names() {
        return byName.size();
    }

    private void dropExpired(ArrayDeque<Instant> failures, Instant now) {
        Instant cutoff = now.minus(window);
        while (!failures.isEmpty() && !failures.peekFirst().isAfter(cutoff)) {
            failures.removeFirst();
        }
    }

    /** The map's head has the oldest latest failure: expired names go first, then the oldest past the cap. */
    private void forgetExpiredAndOldest(Instant now) {
        Instant cutoff = now.minus(window);
        Iterator<ArrayDeque<Instant>> oldestFirst = byName.values().iterator();
        while (oldestFirst.hasNext()) {
            ArrayDeque<Instant> failures = oldestFirst.next();
            if (byName.size() <= maxNames && !failures.isEmpty() && failures.peekLast().isAfter(cutoff)) {
                break;
            }
            oldestFirst.remove();
        }
    }
}
