package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The naming rules on their own: ASCII only, a letter first for users, and locale-free case folding. */
@Timeout(10)
class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "Alice", "a1", "a_b", "a-b", "Z9_-"})
    void theseUserNamesAreValid(String name) {
        assertThat(Names.validUser(name, 32)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1a", "-a", "_a", "a b", "a*", "#a", "a.b", "\u0410", "é", "a\u0000", "a\n"})
    void theseUserNamesAreInvalid(String name) {
        assertThat(Names.validUser(name, 32)).isFalse();
    }

    @Test
    void theLengthLimitIsInclusive() {
        assertThat(Names.validUser("a".repeat(32), 32)).isTrue();
        assertThat(Names.validUser("a".repeat(33), 32)).isFalse();
        assertThat(Names.validRoom("r".repeat(64), 64)).isTrue();
        assertThat(Names.validRoom("r".repeat(65), 64)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"den", "9lives", "a.b", "a_b-c.d", "LOBBY"})
    void theseRoomNamesAreValid(String name) {
        assertThat(Names.validRoom(name, 64)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".a", "-a", "_a", "a b", "#a", "a/b", "dén", "a\n"})
    void theseRoomNamesAreInvalid(String name) {
        assertThat(Names.validRoom(name, 64)).isFalse();
    }

    @Test
    void foldingIgnoresCase() {
        assertThat(Names.fold("Alice")).isEqualTo(Names.fold("aLICE")).isEqualTo("alice");
    }

    @Test
    void foldingIgnoresATurkishDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.of("tr", "TR"));
        try {
            assertThat("I".toLowerCase()).as("the JVM really folds the Turkish way now").isEqualTo("\u0131");
            assertThat(Names.fold("TITLE")).isEqualTo(Names.fold("title")).isEqualTo("title");
            assertThat(Names.fold("IRIS")).isEqualTo("iris");
        } finally {
            Locale.setDefault(saved);
        }
    }
}
