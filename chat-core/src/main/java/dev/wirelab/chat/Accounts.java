package dev.wirelab.chat;

import dev.wirelab.protocol.Password;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Names protected by a password, kept in memory for the server's life. Passwords are stored as
 * PBKDF2-HMAC-SHA256 with a 16-byte random salt (OWASP's FIPS choice; the JDK has it, so no
 * dependency), with the iteration count stored beside each hash so it can rise later.
 *
 * <p>Used by {@link ChatState} only, under its single writer. Hashing is CPU work (about 185 ms at
 * OWASP's 600,000 iterations on a 2-core machine), done while the chat waits: acceptable for a lab
 * with few logins, and the reason the iteration count is configurable.
 */
final class Accounts {

    static final int MIN_PASSWORD = 8;
    static final int MAX_PASSWORD = 128;

    /** OWASP Password Storage Cheat Sheet's floor for PBKDF2-HMAC-SHA256. */
    static final int ITERATIONS_DEFAULT = 600_000;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final RandomGenerator random;
    private final Map<String, Account> byName = new HashMap<>();

    Accounts(int iterations, RandomGenerator random) {
        if (iterations <= 0) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        this.iterations = iterations;
        this.random = random;
    }

    boolean exists(String name) {
        return byName.containsKey(Names.fold(name));
    }

    boolean acceptable(Password password) {
        int length = password.value().codePointCount(0, password.value().length());
        return length >= MIN_PASSWORD && length <= MAX_PASSWORD;
    }

    void create(String name, Password password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byName.put(Names.fold(name), new Account(name, salt, iterations, hash(password, salt, iterations)));
    }

    /** Whether the name has an account and this is its password. Hashes even for unknown names, so timing tells nothing. */
    boolean verify(String name, Password password) {
        Account account = byName.get(Names.fold(name));
        if (account == null) {
            hash(password, new byte[SALT_BYTES], iterations);
            return false;
        }
        return MessageDigest.isEqual(account.hash, hash(password, account.salt, account.iterations));
    }

    /** The name as it was registered, for a login typed in another case. */
    String canonicalName(String name) {
        return byName.get(Names.fold(name)).name;
    }

    private static byte[] hash(Password password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.value().toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }

    private record Account(String name, byte[] salt, int iterations, byte[] hash) {
    }
}
