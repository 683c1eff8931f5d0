package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.wirelab.protocol.Password;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Password accounts: hashes verify, wrong passwords and unknown names do not, and every account has its own salt. */
@Timeout(10)
class AccountsTest {

    /** A seeded random that remembers every byte array it filled, so the salts can be inspected. */
    private static final class RecordingRandom implements RandomGenerator {
        final Random delegate = new Random(7);
        final List<byte[]> filled = new ArrayList<>();

        @Override
        public long nextLong() {
            return delegate.nextLong();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            delegate.nextBytes(bytes);
            filled.add(bytes.clone());
        }
    }

    private final Accounts accounts = new Accounts(1_000, new Random(7));

    @Test
    void theRightPasswordVerifies() {
        accounts.add(accounts.prepare("Alice", Password.of("correct horse")));

        assertThat(accounts.verify("Alice", Password.of("correct horse"))).isTrue();
        assertThat(accounts.verify("aLICE", Password.of("correct horse"))).as("names fold").isTrue();
    }

    @Test
    void aWrongPasswordFails() {
        accounts.add(accounts.prepare("Alice", Password.of("correct horse")));

        assertThat(accounts.verify("Alice", Password.of("correct horsE"))).isFalse();
        assertThat(accounts.verify("Alice", Password.of("correct horse "))).isFalse();
        assertThat(accounts.verify("Alice", Password.NONE)).isFalse();
    }

    @Test
    void anUnknownNameFails() {
        accounts.add(accounts.prepare("Alice", Password.of("correct horse")));

        assertThat(accounts.verify("Bob", Password.of("correct horse"))).isFalse();
        assertThat(accounts.exists("Bob")).isFalse();
    }

    @Test
    void nonAsciiPasswordsVerify() {
        accounts.add(accounts.prepare("Zoe", Password.of("pässwörd🔑")));

        assertThat(accounts.verify("Zoe", Password.of("pässwörd🔑"))).isTrue();
        assertThat(accounts.verify("Zoe", Password.of("passwörd🔑"))).isFalse();
    }

    @Test
    void accountsAreKeptApart() {
        accounts.add(accounts.prepare("Alice", Password.of("alice's secret")));
        accounts.add(accounts.prepare("Bob", Password.of("bob's secret!")));

        assertThat(accounts.verify("Alice", Password.of("bob's secret!"))).isFalse();
        assertThat(accounts.verify("Bob", Password.of("alice's secret"))).isFalse();
        assertThat(accounts.verify("Bob", Password.of("bob's secret!"))).isTrue();
    }

    @Test
    void existsAndTheCanonicalNameIgnoreCase() {
        accounts.add(accounts.prepare("Carol", Password.of("correct horse")));

        assertThat(accounts.exists("CAROL")).isTrue();
        assertThat(accounts.canonicalName("cArOl")).isEqualTo("Carol");
    }

    @Test
    void everyAccountDrawsItsOwnSixteenByteSalt() {
        RecordingRandom random = new RecordingRandom();
        Accounts recorded = new Accounts(1_000, random);

        recorded.add(recorded.prepare("Alice", Password.of("same password")));
        recorded.add(recorded.prepare("Bob", Password.of("same password")));
        recorded.add(recorded.prepare("Carol", Password.of("same password")));

        assertThat(random.filled).hasSize(3).allSatisfy(salt -> assertThat(salt).hasSize(16));
        assertThat(random.filled.get(0)).isNotEqualTo(random.filled.get(1));
        assertThat(random.filled.get(1)).isNotEqualTo(random.filled.get(2));
        assertThat(random.filled.get(0)).isNotEqualTo(random.filled.get(2));
        assertThat(recorded.verify("Bob", Password.of("same password"))).isTrue();
    }

    @Test
    void verifyingDrawsNoSalt() {
        RecordingRandom random = new RecordingRandom();
        Accounts recorded = new Accounts(1_000, random);
        recorded.add(recorded.prepare("Alice", Password.of("same password")));

        recorded.verify("Alice", Password.of("same password"));
        recorded.verify("Nobody", Password.of("same password"));

        assertThat(random.filled).hasSize(1);
    }

    @Test
    void passwordsOfEightToOneHundredTwentyEightCharactersAreAcceptable() {
        assertThat(accounts.acceptable(Password.of("1234567"))).isFalse();
        assertThat(accounts.acceptable(Password.of("12345678"))).isTrue();
        assertThat(accounts.acceptable(Password.of("x".repeat(128)))).isTrue();
        assertThat(accounts.acceptable(Password.of("x".repeat(129)))).isFalse();
        assertThat(accounts.acceptable(Password.of("🔑".repeat(7)))).as("characters, not UTF-16 units").isFalse();
        assertThat(accounts.acceptable(Password.of("🔑".repeat(128)))).isTrue();
    }

    @Test
    void iterationsMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Accounts(0, new Random(7)));
    }
}
