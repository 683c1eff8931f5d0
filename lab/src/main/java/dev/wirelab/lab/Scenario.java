package dev.wirelab.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** One cell of the comparison matrix: a transport (and delivery), a codec, a network profile. */
record Scenario(ScenarioLink link, CodecKind codec, ScenarioProfile profile) {

    /** {@code udp-reliable-ordered protobuf loss5}. */
    String label() {
        return link.label() + " " + codec.label() + " " + profile.label();
    }

    /**
     * Every combination of the comma-separated choices, transports outermost, in the order typed;
     * {@code all} (or an empty text) means every value.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    static List<Scenario> matrix(String transports, String codecs, String profiles) {
        List<Scenario> matrix = new ArrayList<>();
        for (ScenarioLink link : choices(transports, ScenarioLink.values(), ScenarioLink::parse)) {
            for (CodecKind codec : choices(codecs, CodecKind.values(), CodecKind::parse)) {
                for (ScenarioProfile profile : choices(profiles, ScenarioProfile.values(), ScenarioProfile::parse)) {
                    matrix.add(new Scenario(link, codec, profile));
                }
            }
        }
        return matrix;
    }

    private static <T> List<T> choices(String text, T[] all, Function<String, T> parse) {
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("all")) {
            return List.of(all);
        }
        Set<T> chosen = new LinkedHashSet<>();
        Arrays.stream(text.split(",")).filter(s -> !s.isBlank()).map(parse).forEach(chosen::add);
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("nothing chosen in '" + text + "'");
        }
        return List.copyOf(chosen);
    }
}
