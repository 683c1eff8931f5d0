package dev.wirelab.lab;

import dev.wirelab.transport.Impairment;
import java.util.Locale;

/**
 * The network profiles {@code compare} runs each scenario under: in-process impairments, or real
 * kernel loss (an nft rule dropping a share of loopback's packets in a network namespace, see
 * {@link KernelLoss}), under which nothing is impaired in-process.
 */
enum ScenarioProfile {
    CLEAN("none", 0),
    LOSS5("loss=5%", 0),
    LOSS5_JITTER("loss=5%,delay=5ms,jitter=5ms,reorder=1%", 0),
    KERNEL_LOSS1("kernel: nft numgen drop 1% of loopback packets", 1),
    KERNEL_LOSS5("kernel: nft numgen drop 5% of loopback packets", 5);

    private final String spec;
    private final int kernelDropPercent;

    ScenarioProfile(String spec, int kernelDropPercent) {
        this.spec = spec;
        this.kernelDropPercent = kernelDropPercent;
    }

    /** Whether the scenario runs in a namespace with kernel loss (in a child JVM). */
    boolean kernel() {
        return kernelDropPercent > 0;
    }

    /** The share of loopback packets the kernel drops, in percent; 0 for the in-process profiles. */
    int kernelDropPercent() {
        return kernelDropPercent;
    }

    /** {@code clean}, {@code loss5}, {@code loss5-jitter}, {@code kernel-loss1}, {@code kernel-loss5}. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The impairment spec, without its seed (for kernel profiles, a description of the rule). */
    String spec() {
        return spec;
    }

    /** The impairment of what one side sends, seeded; give each direction its own seed. */
    Impairment impairment(long seed) {
        return this == CLEAN || kernel() ? Impairment.NONE : Impairment.parse(spec + ",seed=" + seed);
    }

    static ScenarioProfile parse(String text) {
        for (ScenarioProfile profile : values()) {
            if (profile.label().equalsIgnoreCase(text.strip())) {
                return profile;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + text + "': choose clean, loss5, "
                + "loss5-jitter, kernel-loss1 or kernel-loss5");
    }
}
