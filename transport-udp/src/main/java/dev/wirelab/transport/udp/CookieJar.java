package dev.wirelab.transport.udp;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and checks the stateless handshake cookies, in the style of a QUIC Retry token or a DTLS
 * HelloVerifyRequest cookie: the server keeps no state for a client until the client has shown it
 * receives at the address it claims, by echoing a cookie only that address was sent.
 *
 * <pre>
 * cookie = bucket (32-bit BE) || HMAC-SHA256(secret[bucket], bucket || ip || port || nonce)[0..16)
 * bucket = floor(now / bucketLength)          (30 s by default)
 * </pre>
 *
 * <p>Each time bucket has its own random secret; the jar keeps the current and the previous one,
 * so a cookie is accepted for at least one and at most two bucket lengths after it was minted, and
 * every secret is forgotten after that. The bucket in clear lets a stale cookie be told from a
 * forged one in the counters; it grants nothing, since the MAC covers it.
 *
 * <p>Time comes from an {@link InstantSource} and secrets from a {@link RandomGenerator}, both
 * injected, so tests move time by hand. Thread-safe (a {@link ReentrantLock} around the MAC).
 */
final class CookieJar {

    /** Cookie bytes on the wire: 4 of bucket, 16 of truncated MAC. */
    static final int COOKIE_BYTES = 20;

    private static final int MAC_BYTES = 16;
    private static final int SECRET_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    /** What {@link #check} found. */
    enum Verdict {
        VALID,
        STALE,
        FORGED
    }

    private final InstantSource clock;
    private final RandomGenerator random;
    private final long bucketMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final Mac mac;
    private long currentBucket = Long.MIN_VALUE;
    private byte[] currentSecret;
    private byte[] previousSecret;

    CookieJar(InstantSource clock, RandomGenerator random, Duration bucketLength) {
        this.clock = clock;
        this.random = random;
        this.bucketMillis = bucketLength.toMillis();
        if (bucketMillis <= 0) {
            throw new IllegalArgumentException("bucketLength must be at least 1 ms: " + bucketLength);
        }
        try {
            this.mac = Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has " + ALGORITHM, e);
        }
    }

    /** A cookie for a client at {@code address} that sent {@code nonce} in its HELLO. */
    byte[] mint(InetSocketAddress address, long nonce) {
        lock.lock();
        try {
            rotate();
            byte[] cookie = new byte[COOKIE_BYTES];
            PacketHeader.putInt(cookie, 0, (int) currentBucket);
            System.arraycopy(tag(currentSecret, (int) currentBucket, address, nonce), 0, cookie, 4, MAC_BYTES);
            return cookie;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code cookie} was minted by this jar, recently, for {@code address} and {@code nonce}. */
    Verdict check(byte[] cookie, InetSocketAddress address, long nonce) {
        if (cookie.length != COOKIE_BYTES) {
            return Verdict.FORGED;
        }
        int bucket = PacketHeader.getInt(cookie, 0);
        lock.lock();
        try {
            rotate();
            byte[] secret;
            if (bucket == (int) currentBucket) {
                secret = currentSecret;
            } else if (bucket == (int) (currentBucket - 1)) {
                secret = previousSecret;
            } else {
                return Verdict.STALE;
            }
            byte[] expected = tag(secret, bucket, address, nonce);
            byte[] actual = Arrays.copyOfRange(cookie, 4, COOKIE_BYTES);
            return MessageDigest.isEqual(expected, actual) ? Verdict.VALID : Verdict.FORGED;
        } finally {
            lock.unlock();
        }
    }

    /** Moves to the bucket of now: a new secret per bucket, the last one kept if it is the previous bucket's. */
    private void rotate() {
        long bucket = Math.floorDiv(clock.millis(), bucketMillis);
        if (bucket <= currentBucket) {
            return; // same bucket, or the clock stepped back: keep what we have
        }
        previousSecret = bucket == currentBucket + 1 ? currentSecret : newSecret();
        currentSecret = newSecret();
        currentBucket = bucket;
    }

    private byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return secret;
    }

    private byte[] tag(byte[] secret, int bucket, InetSocketAddress address, long nonce) {
        try {
            mac.init(new SecretKeySpec(secret, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an HMAC key of " + SECRET_BYTES + " bytes is always valid", e);
        }
        byte[] word = new byte[8];
        PacketHeader.putInt(word, 0, bucket);
        mac.update(word, 0, 4);
        byte[] ip = address.getAddress().getAddress();
        mac.update((byte) ip.length);
        mac.update(ip);
        PacketHeader.putInt(word, 0, address.getPort());
        mac.update(word, 0, 4);
        PacketHeader.putLong(word, 0, nonce);
        mac.update(word);
        return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    }
}
