package dev.wirelab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class RequestIdTest {

    @Test
    void noneIsEmptyAndAbsent() {
        assertThat(RequestId.NONE.value()).isEmpty();
        assertThat(RequestId.NONE.isPresent()).isFalse();
        assertThat(RequestId.NONE).hasToString("<none>").isEqualTo(RequestId.of(""));
    }

    @Test
    void aGivenIdIsPresentAndShownAsItIs() {
        RequestId id = RequestId.of("req-42");

        assertThat(id.isPresent()).isTrue();
        assertThat(id).hasToString("req-42").isEqualTo(new RequestId("req-42")).isNotEqualTo(RequestId.of("req-43"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "0123456789012345678901234567890123456789012345678901234567890123",
        "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
        "éééééééééééééééééééééééééééééééé",
        "id-1234567890123456789012345678901234567890123456789012345678✓"})
    void acceptsSixtyFourBytesOfUtf8(String value) {
        assertThat(value.getBytes(StandardCharsets.UTF_8)).hasSize(RequestId.MAX_BYTES);

        assertThat(RequestId.of(value).value()).isEqualTo(value);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "01234567890123456789012345678901234567890123456789012345678901234",
        "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀a",
        "012345678901234567890123456789012345678901234567890123456789012é"})
    void refusesSixtyFiveBytesOfUtf8EvenWhenThatIsFewerCharacters(String value) {
        assertThat(value.getBytes(StandardCharsets.UTF_8)).hasSize(RequestId.MAX_BYTES + 1);

        assertThatIllegalArgumentException().isThrownBy(() -> RequestId.of(value)).withMessageContaining("64");
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x00, 0x07, 0x09, 0x0A, 0x0D, 0x1B, 0x1F, 0x7F, 0x85, 0x9F})
    void refusesControlCharacters(int codePoint) {
        String value = "abc" + Character.toString(codePoint) + "def";

        assertThatIllegalArgumentException().isThrownBy(() -> RequestId.of(value)).withMessageContaining("control");
    }

    @Test
    void refusesNull() {
        assertThatNullPointerException().isThrownBy(() -> RequestId.of(null));
    }
}
