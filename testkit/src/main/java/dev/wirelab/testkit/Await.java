package dev.wirelab.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it, instead of sleeping for a guessed time: a test is as fast
 * as the machine allows and fails with a description when the condition never comes.
 */
public final class Await {

    /** Long enough for a loaded 2-core CI machine; a passing test never waits this long. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private Await() {
    }

    public static void until(String description, BooleanSupplier condition) {
        until(description, condition, DEFAULT_TIMEOUT);
    }

    public static void until(String description, BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + description);
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + description, e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 50);
        }
    }

    /** Polls {@code supplier} until it returns a value {@code accept}s, and returns that value. */
    public static <T> T value(String description, Supplier<T> supplier, java.util.function.Predicate<T> accept) {
        Object[] last = new Object[1];
        until(description, () -> {
            T value = supplier.get();
            last[0] = value;
            return accept.test(value);
        });
        @SuppressWarnings("unchecked")
        T value = (T) last[0];
        return value;
    }
}
