package dev.wirelab.lab;

import dev.wirelab.transport.Impairment;
import java.util.Locale;

/** The network profiles {@code compare} runs each scenario under, as in-process impairments. */
enum ScenarioProfile {
    CLEAN("none"),
    LOSS5("loss=5%"),
    LOSS5_JITTER("loss=5%,delay=5ms,jitter=5ms,reorder=1%");

    private final String spec;

    ScenarioProfile(String spec) {
        this.spec = spec;
    }

    /** {@code clean}, {@code loss5}, {@code loss5-jitter}. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The impairment spec, without its seed. */
    String spec() {
        return spec;
    }

    /** The impairment of what one side sends, seeded; give each direction its own seed. */
    Impairment impairment(long seed) {
        return this == CLEAN ? Impairment.NONE : Impairment.parse(spec + ",seed=" + seed);
    }

    static ScenarioProfile parse(String text) {
        for (ScenarioProfile profile : values()) {
            if (profile.label().equalsIgnoreCase(text.strip())) {
                return profile;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + text + "': choose clean, loss5 or loss5-jitter");
    }
}
