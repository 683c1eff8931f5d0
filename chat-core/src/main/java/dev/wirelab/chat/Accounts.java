package dev.wirelab.chat;

import dev.wirelab.protocol.Password;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Names protected by a password, kept in memory for the server's life. Passwords are stored as
 * PBKDF2-HMAC-SHA256 with a 16-byte random salt (OWASP's FIPS choice; the JDK has it, so no
 * dependency), with the iteration count stored beside each hash so it can rise later.
 *
 * <p>Thread-safe. Hashing is CPU work (about 185 ms at OWASP's 600,000 iterations on a 2-core
 * machine), so the server calls {@link #prepare} and {@link #verify} on the session's own thread,
 * outside the chat's lock and a few at a time; {@link ChatState} then only looks accounts up.
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
    private final ReentrantLock randomLock = new ReentrantLock();
    private final Map<String, Account> byName = new ConcurrentHashMap<>();
    private final AtomicLong hashes = new AtomicLong();

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

    /** Hashes a password for a new account; the account exists only once {@link #add}ed. */
    Account prepare(String name, Password password) {
        byte[] salt = new byte[SALT_BYTES];
        randomLock.lock();
        try {
            random.nextBytes(salt);
        } finally {
            randomLock.unlock();
        }
        return new Account(name, salt, iterations, hash(password, salt, iterations));
    }

    /** Adds a prepared account; false if the name already has one. */
    boolean add(Account account) {
        return byName.putIfAbsent(Names.fold(account.name()), account) == null;
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

    /** Hashes computed so far. */
    long hashes() {
        return hashes.get();
    }

    private byte[] hash(Password password, byte[] salt, int iterations) {
        hashes.incrementAndGet();
        PBEKeySpec spec = new PBEKeySpec(password.value().toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** A name with its salted hash; the arrays are never handed out. */
    record Account(String name, byte[] salt, int iterations, byte[] hash) {
    }
}
