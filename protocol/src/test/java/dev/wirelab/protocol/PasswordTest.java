package dev.wirelab.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PasswordTest {

    private static final String SECRET = "correct horse battery staple";

    @Test
    void toStringNeverShowsThePassword() {
        Password password = Password.of(SECRET);

        assertThat(password.toString()).doesNotContain(SECRET).doesNotContain("horse").isEqualTo("Password[***]");
        assertThat(password.value()).isEqualTo(SECRET);
        assertThat(password.isPresent()).isTrue();
    }

    @Test
    void messagesCarryingAPasswordDoNotShowItEither() {
        RequestId id = RequestId.of("r1");

        assertThat(new Request.Register(id, "ana", Password.of(SECRET)).toString()).contains("ana").doesNotContain(SECRET);
        assertThat(new Request.Login(id, "ana", Password.of(SECRET)).toString()).contains("ana").doesNotContain(SECRET);
    }

    @Test
    void noneIsAnEmptyAbsentPassword() {
        assertThat(Password.NONE.isPresent()).isFalse();
        assertThat(Password.NONE.value()).isEmpty();
        assertThat(Password.NONE).hasToString("Password[none]").isEqualTo(Password.of(""));
    }

    @Test
    void equalityIsByValue() {
        assertThat(Password.of("a")).isEqualTo(Password.of("a")).isNotEqualTo(Password.of("b"));
    }

    @Test
    void refusesNull() {
        assertThatNullPointerException().isThrownBy(() -> Password.of(null));
    }
}
