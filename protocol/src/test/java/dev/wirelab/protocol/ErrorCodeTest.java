package dev.wirelab.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Enum names travel on the wire in both codecs, so they must stay unique and in one shape. */
@Timeout(10)
class ErrorCodeTest {

    private static final String UPPER_SNAKE_CASE = "[A-Z][A-Z0-9]*(_[A-Z0-9]+)*";

    static Stream<Class<? extends Enum<?>>> wireEnums() {
        return Stream.of(ErrorCode.class, Capability.class, PresenceChange.class);
    }

    @Test
    void errorCodeNamesAreUniqueAndUpperSnakeCase() {
        String[] names = Arrays.stream(ErrorCode.values()).map(Enum::name).toArray(String[]::new);

        assertThat(names).doesNotHaveDuplicates().allMatch(name -> name.matches(UPPER_SNAKE_CASE), "upper snake case");
        assertThat(Arrays.stream(names).map(name -> name.toLowerCase(Locale.ROOT))).doesNotHaveDuplicates();
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorCode.valueOf(code.name())).isSameAs(code);
        }
    }

    @Test
    void errorCodesIncludeTheNamesTheReferencesUse() {
        assertThat(ErrorCode.values()).extracting(Enum::name).contains("INVALID_MESSAGE", "INVALID_UTF8", "TOO_DEEP",
                "UNKNOWN_COMMAND", "MISSING_DATA", "NOT_REGISTERED", "MESSAGE_TOO_LONG", "FRAME_TOO_LARGE",
                "RATE_LIMITED", "SENDQ_EXCEEDED", "UNSPECIFIED");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wireEnums")
    void otherWireEnumNamesAreUpperSnakeCaseToo(Class<? extends Enum<?>> type) {
        assertThat(type.getEnumConstants()).isNotEmpty()
                .extracting(Enum::name).allMatch(name -> name.matches(UPPER_SNAKE_CASE), "upper snake case")
                .doesNotHaveDuplicates();
    }
}
