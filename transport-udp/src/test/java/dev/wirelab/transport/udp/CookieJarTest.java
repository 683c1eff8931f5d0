package dev.wirelab.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CookieJarTest {

    private static final Duration BUCKET = Duration.ofSeconds(30);
    private static final InetSocketAddress CLIENT = address("192.0.2.7", 40_000);
    private static final long NONCE = 0x1234_5678_9ABC_DEF0L;

    private final UdpTestClock clock = new UdpTestClock(30_000L * 1000); // at the start of a bucket
    private final CookieJar jar = new CookieJar(clock, new SplittableRandom(1), BUCKET);

    private static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCookieIsTwentyBytesAndValidForItsAddressAndNonce() {
        byte[] cookie = jar.mint(CLIENT, NONCE);

        assertThat(cookie).hasSize(CookieJar.COOKIE_BYTES);
        assertThat(jar.check(cookie, CLIENT, NONCE)).isEqualTo(CookieJar.Verdict.VALID);
    }

    @Test
    void aCookieStaysValidThroughTheNextBucketAndGoesStaleAfter() {
        byte[] cookie = jar.mint(CLIENT, NONCE);

        clock.advance(BUCKET.minusMillis(1));
        assertThat(jar.check(cookie, CLIENT, NONCE)).isEqualTo(CookieJar.Verdict.VALID);
        clock.advance(Duration.ofMillis(1)); // the next bucket: the previous secret still counts
        assertThat(jar.check(cookie, CLIENT, NONCE)).isEqualTo(CookieJar.Verdict.VALID);
        clock.advance(BUCKET.minusMillis(1));
        assertThat(jar.check(cookie, CLIENT, NONCE)).isEqualTo(CookieJar.Verdict.VALID);
        clock.advance(Duration.ofMillis(1)); // two buckets on: gone
        assertThat(jar.check(cookie, CLIENT, NONCE)).isEqualTo(CookieJar.Verdict.STALE);
    }

    @Test
    void aCookieMintedLateInABucketLivesAtLeastOneBucketLength() {
        clock.advance(BUCKET.minusMillis(1));
        byte[] cookie = jar.mint(CLIENT, NONCE);

        clock.advance(BUCKET);

        assertThat(jar.check(cookie, CLIENT, NONCE)).isEqualTo(CookieJar.Verdict.VALID);
    }

    @Test
    void aJumpOfManyBucketsForgetsBothSecrets() {
        byte[] cookie = jar.mint(CLIENT, NONCE);

        clock.advance(BUCKET.multipliedBy(10));
        byte[] relabelled = cookie.clone();
        int bucketNow = PacketHeader.getInt(jar.mint(CLIENT, NONCE), 0);
        PacketHeader.putInt(relabelled, 0, bucketNow - 1); // claims the previous bucket

        assertThat(jar.check(cookie, CLIENT, NONCE)).isEqualTo(CookieJar.Verdict.STALE);
        assertThat(jar.check(relabelled, CLIENT, NONCE)).isEqualTo(CookieJar.Verdict.FORGED);
    }

    @Test
    void aCookieForAnotherAddressPortOrNonceIsForged() {
        byte[] cookie = jar.mint(CLIENT, NONCE);

        assertThat(jar.check(cookie, address("192.0.2.8", 40_000), NONCE)).isEqualTo(CookieJar.Verdict.FORGED);
        assertThat(jar.check(cookie, address("192.0.2.7", 40_001), NONCE)).isEqualTo(CookieJar.Verdict.FORGED);
        assertThat(jar.check(cookie, CLIENT, NONCE + 1)).isEqualTo(CookieJar.Verdict.FORGED);
        assertThat(jar.check(cookie, address("::ffff:c000:207", 40_000), NONCE))
                .as("the same IPv4 address written as IPv6-mapped is the same address")
                .isEqualTo(CookieJar.Verdict.VALID);
    }

    @Test
    void anyChangedByteOfTheTagOrALengthOtherThanTwentyIsForged() {
        byte[] cookie = jar.mint(CLIENT, NONCE);

        for (int i = 4; i < cookie.length; i++) {
            byte[] changed = cookie.clone();
            changed[i] ^= 1;
            assertThat(jar.check(changed, CLIENT, NONCE)).as("byte %d", i).isEqualTo(CookieJar.Verdict.FORGED);
        }
        assertThat(jar.check(new byte[19], CLIENT, NONCE)).isEqualTo(CookieJar.Verdict.FORGED);
        assertThat(jar.check(new byte[20], CLIENT, NONCE)).isNotEqualTo(CookieJar.Verdict.VALID);
    }

    @Test
    void anotherServersCookieIsForged() {
        CookieJar other = new CookieJar(clock, new SplittableRandom(2), BUCKET);

        assertThat(jar.check(other.mint(CLIENT, NONCE), CLIENT, NONCE)).isEqualTo(CookieJar.Verdict.FORGED);
    }

    @Test
    void aClockSteppingBackKeepsTheCurrentSecret() {
        byte[] cookie = jar.mint(CLIENT, NONCE);

        clock.advance(BUCKET.multipliedBy(-3));

        assertThat(jar.check(cookie, CLIENT, NONCE)).isEqualTo(CookieJar.Verdict.VALID);
        assertThat(jar.mint(CLIENT, NONCE)).isEqualTo(cookie);
    }
}
