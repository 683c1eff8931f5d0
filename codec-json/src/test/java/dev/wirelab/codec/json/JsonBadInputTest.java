package dev.wirelab.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.Password;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a line can be wrong, with the error code it must get, and proof that the codec reads
 * the next line normally afterwards. Cases follow {@code reference/limits-and-bad-input.md} §5.
 */
@Timeout(30)
class JsonBadInputTest {

    private static final Limits LIMITS = Limits.DEFAULTS;
    private static final JsonCodec CODEC = JsonCodec.create(LIMITS, ZoneOffset.UTC);
    private static final Frame NEXT = Frame.ofUtf8("{\"command\":\"ECHO\",\"data\":\"still here\",\"id\":\"next\"}");
    private static final Request.Echo NEXT_DECODED = new Request.Echo(RequestId.of("next"), "still here");

    static Stream<Arguments> badLines() {
        String deepArrays = "[".repeat(10_000);
        String deepObjects = "{\"a\":".repeat(10_000);
        return Stream.of(
                // Not one JSON object.
                arguments("an empty line", line(""), ErrorCode.INVALID_MESSAGE),
                arguments("whitespace only", line(" \t "), ErrorCode.INVALID_MESSAGE),
                arguments("null", line("null"), ErrorCode.INVALID_MESSAGE),
                arguments("an empty array", line("[]"), ErrorCode.INVALID_MESSAGE),
                arguments("an array holding a request", line("[{\"command\":\"ECHO\",\"data\":\"x\"}]"),
                        ErrorCode.INVALID_MESSAGE),
                arguments("a bare string", line("\"ECHO\""), ErrorCode.INVALID_MESSAGE),
                arguments("a bare number", line("42"), ErrorCode.INVALID_MESSAGE),
                arguments("plain text", line("this is not json"), ErrorCode.INVALID_MESSAGE),
                arguments("trailing garbage", line("{\"command\":\"ECHO\",\"data\":\"x\"} trailing"),
                        ErrorCode.INVALID_MESSAGE),
                arguments("two objects on one line",
                        line("{\"command\":\"ECHO\",\"data\":\"x\"}{\"command\":\"ECHO\",\"data\":\"y\"}"),
                        ErrorCode.INVALID_MESSAGE),
                arguments("a stray closing bracket", line("{\"command\":\"ECHO\",\"data\":\"x\"}]"),
                        ErrorCode.INVALID_MESSAGE),
                arguments("an unfinished object", line("{\"command\":\"ECHO\","), ErrorCode.INVALID_MESSAGE),
                arguments("a trailing comma", line("{\"command\":\"ECHO\",\"data\":\"x\",}"), ErrorCode.INVALID_MESSAGE),
                arguments("single quotes", line("{'command':'ECHO','data':'x'}"), ErrorCode.INVALID_MESSAGE),
                arguments("NaN", line("{\"command\":\"ECHO\",\"data\":\"x\",\"n\":NaN}"), ErrorCode.INVALID_MESSAGE),
                arguments("a raw control character in a string", line("{\"command\":\"ECHO\",\"data\":\"a\u0001b\"}"),
                        ErrorCode.INVALID_MESSAGE),
                arguments("an empty object", line("{}"), ErrorCode.INVALID_MESSAGE),
                arguments("no command, success or event", line("{\"data\":\"x\",\"id\":\"q\"}"), ErrorCode.INVALID_MESSAGE),
                arguments("an empty command", line("{\"command\":\"\",\"data\":\"x\"}"), ErrorCode.INVALID_MESSAGE),
                arguments("a UTF-8 byte order mark", bytes(new int[] {0xEF, 0xBB, 0xBF}, "{\"command\":\"TIME\"}"),
                        ErrorCode.INVALID_MESSAGE),
                // Duplicate keys, also after case folding, also where the codec does not look.
                arguments("a duplicate key", line("{\"command\":\"ECHO\",\"command\":\"REGISTER\",\"data\":\"x\"}"),
                        ErrorCode.INVALID_MESSAGE),
                arguments("a duplicate key in another case", line("{\"command\":\"ECHO\",\"COMMAND\":\"X\",\"data\":\"x\"}"),
                        ErrorCode.INVALID_MESSAGE),
                arguments("a duplicate key inside an unknown field",
                        line("{\"command\":\"ECHO\",\"data\":\"x\",\"extra\":{\"a\":1,\"A\":2}}"), ErrorCode.INVALID_MESSAGE),
                arguments("a duplicate unknown key", line("{\"command\":\"ECHO\",\"data\":\"x\",\"x\":1,\"x\":2}"),
                        ErrorCode.INVALID_MESSAGE),
                // Invalid UTF-8 is refused, never replaced by U+FFFD.
                arguments("C3 28 (bad continuation)", utf8Hole(0xC3, 0x28), ErrorCode.INVALID_UTF8),
                arguments("C0 AF (overlong /)", utf8Hole(0xC0, 0xAF), ErrorCode.INVALID_UTF8),
                arguments("ED A0 80 (encoded surrogate)", utf8Hole(0xED, 0xA0, 0x80), ErrorCode.INVALID_UTF8),
                arguments("FF (never valid)", utf8Hole(0xFF), ErrorCode.INVALID_UTF8),
                arguments("F4 90 80 80 (beyond U+10FFFF)", utf8Hole(0xF4, 0x90, 0x80, 0x80), ErrorCode.INVALID_UTF8),
                arguments("E2 82 at the end (cut short)",
                        bytes(new int[0], "{\"command\":\"ECHO\",\"data\":\"x\"}", 0xE2, 0x82), ErrorCode.INVALID_UTF8),
                arguments("an escaped lone surrogate", line("{\"command\":\"ECHO\",\"data\":\"a\\ud800b\"}"),
                        ErrorCode.INVALID_UTF8),
                // Nesting: refused at the configured depth, without recursion.
                // A top-level array is refused at its first token, however deep it would go.
                arguments("10,000 opening brackets", line(deepArrays), ErrorCode.INVALID_MESSAGE),
                arguments("10,000 opening brackets inside an object",
                        line("{\"command\":\"ECHO\",\"data\":" + deepArrays), ErrorCode.TOO_DEEP),
                arguments("10,000 nested arrays, closed",
                        line("{\"command\":\"ECHO\",\"data\":\"x\",\"deep\":" + deepArrays + "]".repeat(10_000) + "}"),
                        ErrorCode.TOO_DEEP),
                arguments("10,000 nested objects", line(deepObjects + "1" + "}".repeat(10_000)), ErrorCode.TOO_DEEP),
                arguments("one level deeper than allowed", line(nestedUnknownField(LIMITS.maxJsonDepth())),
                        ErrorCode.TOO_DEEP),
                // Wrong types and impossible numbers.
                arguments("a numeric command", line("{\"command\":123,\"data\":\"x\"}"), ErrorCode.INVALID_PARAMS),
                arguments("a null command", line("{\"command\":null}"), ErrorCode.INVALID_PARAMS),
                arguments("a command in an array", line("{\"command\":[\"ECHO\"],\"data\":\"x\"}"), ErrorCode.INVALID_PARAMS),
                arguments("object data", line("{\"command\":\"ECHO\",\"data\":{}}"), ErrorCode.INVALID_PARAMS),
                arguments("null data", line("{\"command\":\"ECHO\",\"data\":null}"), ErrorCode.INVALID_PARAMS),
                arguments("numeric data", line("{\"command\":\"ECHO\",\"data\":42}"), ErrorCode.INVALID_PARAMS),
                arguments("data of the wrong type on a command without data",
                        line("{\"command\":\"TIME\",\"data\":[]}"), ErrorCode.INVALID_PARAMS),
                arguments("a numeric from", line("{\"command\":\"ECHO\",\"data\":\"x\",\"from\":7}"), ErrorCode.INVALID_PARAMS),
                arguments("a limit as a string", line("{\"command\":\"LIST_MESSAGES\",\"limit\":\"10\"}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("a zero limit", line("{\"command\":\"LIST_MESSAGES\",\"limit\":0}"), ErrorCode.INVALID_PARAMS),
                arguments("a negative limit", line("{\"command\":\"LIST_MESSAGES\",\"limit\":-1}"), ErrorCode.INVALID_PARAMS),
                arguments("a limit of -0", line("{\"command\":\"LIST_MESSAGES\",\"limit\":-0}"), ErrorCode.INVALID_PARAMS),
                arguments("a fractional limit", line("{\"command\":\"LIST_MESSAGES\",\"limit\":1.5}"), ErrorCode.INVALID_PARAMS),
                arguments("a limit with an exponent", line("{\"command\":\"LIST_MESSAGES\",\"limit\":1e1}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("a limit beyond 32 bits", line("{\"command\":\"LIST_MESSAGES\",\"limit\":3000000000}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("before 1e400", line("{\"command\":\"LIST_MESSAGES\",\"before\":1e400}"), ErrorCode.INVALID_PARAMS),
                arguments("before -0", line("{\"command\":\"LIST_MESSAGES\",\"before\":-0}"), ErrorCode.INVALID_PARAMS),
                arguments("before a 32-digit number (beyond 64 bits)",
                        line("{\"command\":\"LIST_MESSAGES\",\"before\":" + "9".repeat(32) + "}"), ErrorCode.INVALID_PARAMS),
                arguments("before a 33-digit number (beyond the number length)",
                        line("{\"command\":\"LIST_MESSAGES\",\"before\":" + "9".repeat(33) + "}"), ErrorCode.INVALID_PARAMS),
                arguments("a 10,000-digit integer", line("{\"command\":\"LIST_MESSAGES\",\"after\":" + "7".repeat(10_000) + "}"),
                        ErrorCode.INVALID_PARAMS),
                // Odd numbers in a numeric field (reference case 12). NaN and Infinity are not JSON (RFC 8259 §6):
                // the parser stops at them, so the line is INVALID_MESSAGE, not the reference's INVALID_PARAMS.
                arguments("a limit of NaN", line("{\"command\":\"LIST_MESSAGES\",\"limit\":NaN}"), ErrorCode.INVALID_MESSAGE),
                arguments("a limit of Infinity", line("{\"command\":\"LIST_MESSAGES\",\"limit\":Infinity}"),
                        ErrorCode.INVALID_MESSAGE),
                arguments("a limit of -Infinity", line("{\"command\":\"LIST_MESSAGES\",\"limit\":-Infinity}"),
                        ErrorCode.INVALID_MESSAGE),
                arguments("after NaN", line("{\"command\":\"LIST_MESSAGES\",\"after\":NaN}"), ErrorCode.INVALID_MESSAGE),
                arguments("a limit of 1e999", line("{\"command\":\"LIST_MESSAGES\",\"limit\":1e999}"), ErrorCode.INVALID_PARAMS),
                arguments("a limit of -1e999", line("{\"command\":\"LIST_MESSAGES\",\"limit\":-1e999}"), ErrorCode.INVALID_PARAMS),
                arguments("a limit of -0.0", line("{\"command\":\"LIST_MESSAGES\",\"limit\":-0.0}"), ErrorCode.INVALID_PARAMS),
                arguments("a whole limit written as a float", line("{\"command\":\"LIST_MESSAGES\",\"limit\":20.0}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("a limit beyond 64 bits", line("{\"command\":\"LIST_MESSAGES\",\"limit\":9223372036854775808}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("a 32-digit limit (the longest number allowed)",
                        line("{\"command\":\"LIST_MESSAGES\",\"limit\":" + "9".repeat(32) + "}"), ErrorCode.INVALID_PARAMS),
                arguments("a 10,000-digit limit", line("{\"command\":\"LIST_MESSAGES\",\"limit\":" + "7".repeat(10_000) + "}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("a 10,000-digit integer in an unknown field",
                        line("{\"command\":\"ECHO\",\"data\":\"x\",\"n\":" + "7".repeat(10_000) + "}"), ErrorCode.INVALID_PARAMS),
                arguments("both before and after", line("{\"command\":\"LIST_MESSAGES\",\"before\":9,\"after\":2}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("both to and room", line("{\"command\":\"MESSAGE\",\"data\":\"x\",\"to\":\"Bob\",\"room\":\"golang\"}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("an empty room", line("{\"command\":\"MESSAGE\",\"data\":\"x\",\"room\":\"\"}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("an empty recipient", line("{\"command\":\"MESSAGE\",\"data\":\"x\",\"to\":\"\"}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("capabilities as a string", line("{\"command\":\"HELLO\",\"capabilities\":\"PUSH\"}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("a numeric capability", line("{\"command\":\"HELLO\",\"capabilities\":[1]}"), ErrorCode.INVALID_PARAMS),
                arguments("a numeric password", line("{\"command\":\"REGISTER\",\"data\":\"Bob\",\"password\":123}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("a numeric id", line("{\"command\":\"TIME\",\"id\":42}"), ErrorCode.INVALID_PARAMS),
                arguments("an id of 65 bytes", line("{\"command\":\"TIME\",\"id\":\"" + "i".repeat(65) + "\"}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("an id with a control character", line("{\"command\":\"TIME\",\"id\":\"a\\u0007b\"}"),
                        ErrorCode.INVALID_PARAMS),
                // Commands: exact names, required data.
                arguments("an unknown command", line("{\"command\":\"FOO\",\"data\":\"x\"}"), ErrorCode.UNKNOWN_COMMAND),
                arguments("a lower-case command", line("{\"command\":\"echo\",\"data\":\"x\"}"), ErrorCode.UNKNOWN_COMMAND),
                arguments("a mixed-case command", line("{\"command\":\"Echo\",\"data\":\"x\"}"), ErrorCode.UNKNOWN_COMMAND),
                arguments("a command with a space", line("{\"command\":\" ECHO\",\"data\":\"x\"}"), ErrorCode.UNKNOWN_COMMAND),
                arguments("ECHO without data", line("{\"command\":\"ECHO\"}"), ErrorCode.MISSING_DATA),
                arguments("ECHO with empty data", line("{\"command\":\"ECHO\",\"data\":\"\"}"), ErrorCode.MISSING_DATA),
                arguments("REGISTER without data", line("{\"command\":\"REGISTER\"}"), ErrorCode.MISSING_DATA),
                arguments("MESSAGE without data", line("{\"command\":\"MESSAGE\",\"room\":\"golang\"}"), ErrorCode.MISSING_DATA),
                arguments("JOIN without data", line("{\"command\":\"JOIN\"}"), ErrorCode.MISSING_DATA),
                arguments("LEAVE with empty data", line("{\"command\":\"LEAVE\",\"data\":\"\"}"), ErrorCode.MISSING_DATA),
                arguments("LOGIN without data", line("{\"command\":\"LOGIN\",\"password\":\"pw\"}"), ErrorCode.MISSING_DATA),
                arguments("LOGIN without a password", line("{\"command\":\"LOGIN\",\"data\":\"Bob\"}"), ErrorCode.MISSING_DATA),
                // Size.
                arguments("a message one byte over the text limit", line(message(LIMITS.maxTextBytes() + 1, null)),
                        ErrorCode.MESSAGE_TOO_LONG),
                arguments("a private message one byte over the text limit",
                        line(message(LIMITS.maxTextBytes() + 1, "Bob")), ErrorCode.MESSAGE_TOO_LONG),
                arguments("a frame one byte over the frame limit", line(echoOfFrameSize(LIMITS.maxFrameBytes() + 1)),
                        ErrorCode.FRAME_TOO_LARGE),
                // Replies and events (what a client decodes) have rules too.
                arguments("a reply whose success is a string", line("{\"success\":\"yes\",\"message\":\"m\",\"data\":\"\"}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("a reply without a message", line("{\"success\":true,\"data\":\"\"}"), ErrorCode.INVALID_PARAMS),
                arguments("a failed reply claiming success",
                        line("{\"success\":true,\"message\":\"m\",\"data\":\"\",\"id\":\"q\",\"reply\":\"failed\","
                                + "\"code\":\"FORBIDDEN\"}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("a typed reply missing its field",
                        line("{\"success\":true,\"message\":\"m\",\"data\":\"\",\"id\":\"q\",\"reply\":\"posted\",\"msgid\":1}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("a room with negative members",
                        line("{\"success\":true,\"message\":\"Rooms\",\"data\":\"\",\"id\":\"q\",\"reply\":\"rooms\","
                                + "\"rooms\":[{\"name\":\"lobby\",\"members\":-1}]}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("a seed server time that is not RFC 3339",
                        line("{\"success\":true,\"message\":\"Server time\",\"data\":\"yesterday\"}"), ErrorCode.INVALID_PARAMS),
                arguments("an unknown event", line("{\"event\":\"typing\",\"user\":\"Bob\"}"), ErrorCode.INVALID_PARAMS),
                arguments("an unknown presence change",
                        line("{\"event\":\"presence\",\"room\":\"lobby\",\"user\":\"Bob\",\"change\":\"JOINED\","
                                + "\"time\":\"2026-11-29T14:15:29Z\"}"),
                        ErrorCode.INVALID_PARAMS),
                arguments("a closing event without text",
                        line("{\"event\":\"closing\",\"code\":\"IDLE_TIMEOUT\"}"), ErrorCode.INVALID_PARAMS));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("badLines")
    void refusesABadLineWithItsCodeAndReadsTheNextLine(String name, Frame frame, ErrorCode expected) {
        Throwable thrown = catchThrowable(() -> CODEC.decode(frame));

        assertThat(thrown).isInstanceOfSatisfying(CodecException.class,
                e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(expected));
        assertThat(thrown.getMessage()).doesNotContain("\n").hasSizeLessThan(300);
        assertThat(CODEC.decode(NEXT)).isEqualTo(NEXT_DECODED);
    }

    // ---------------------------------------------------------------------------------------------
    // Messages and request ids on errors

    @Test
    void usesTheSeedsTextsForUnknownCommandsAndMissingData() {
        assertThat(refusal("{\"command\":\"FOO\",\"data\":\"x\"}").getMessage())
                .isEqualTo("Validation error: unknown command: FOO");
        assertThat(refusal("{\"command\":\"echo\",\"data\":\"x\"}").getMessage())
                .isEqualTo("Validation error: unknown command: echo");
        assertThat(refusal("{\"command\":\"ECHO\"}").getMessage()).isEqualTo("Validation error: command ECHO requires data");
        assertThat(refusal("{\"command\":\"JOIN\",\"data\":\"\"}").getMessage())
                .isEqualTo("Validation error: command JOIN requires data");
    }

    @Test
    void refusesNaNAndInfinityAsNotJsonButOddNumbersAsBadParameters() {
        // A departure from reference case 12 (INVALID_PARAMS for NaN): NaN and Infinity are not JSON numbers.
        for (String notJson : new String[] {"NaN", "Infinity", "-Infinity"}) {
            CodecException refused = refusal("{\"id\":\"q1\",\"command\":\"LIST_MESSAGES\",\"limit\":" + notJson + "}");
            assertThat(refused.code()).as(notJson).isEqualTo(ErrorCode.INVALID_MESSAGE);
            assertThat(refused.getMessage()).as(notJson).startsWith("Invalid message format: ").contains(notJson)
                    .as("no advice about the parser's own features").doesNotContain("enable", "JsonReadFeature");
            assertThat(refused.requestId()).as(notJson).isEqualTo(RequestId.of("q1"));
        }
        for (String odd : new String[] {"1e999", "-0.0", "20.0", "1.5"}) {
            assertThat(refusal("{\"command\":\"LIST_MESSAGES\",\"limit\":" + odd + "}").getMessage()).as(odd)
                    .isEqualTo("Validation error: field limit must be an integer, not a number with a fraction or exponent");
        }
        assertThat(refusal("{\"command\":\"LIST_MESSAGES\",\"limit\":-0}").getMessage())
                .isEqualTo("Validation error: field limit must be a positive integer, not 0");
        assertThat(refusal("{\"command\":\"LIST_MESSAGES\",\"limit\":9223372036854775808}").getMessage())
                .isEqualTo("Validation error: field limit is out of range: 9223372036854775808");
        assertThat(refusal("{\"command\":\"LIST_MESSAGES\",\"limit\":" + "7".repeat(10_000) + "}").getMessage())
                .isEqualTo("Validation error: a number is longer than " + LIMITS.maxJsonNumberLength() + " characters");
    }

    @Test
    void quotesAHostileCommandNameShortAndWithoutControlCharacters() {
        String hostile = "X".repeat(10_000) + "\\n";

        assertThat(refusal("{\"command\":\"" + hostile + "\",\"data\":\"x\"}").getMessage())
                .isEqualTo("Validation error: unknown command: " + "X".repeat(64) + "...");
        assertThat(refusal("{\"command\":\"A\\u0000B\",\"data\":\"x\"}").getMessage())
                .isEqualTo("Validation error: unknown command: A?B");
    }

    static Stream<Arguments> linesWithIds() {
        return Stream.of(
                arguments("{\"id\":\"q1\",\"command\":\"FOO\"}", ErrorCode.UNKNOWN_COMMAND),
                // All fields are read before any is judged, so an id after the fault still counts.
                arguments("{\"command\":\"FOO\",\"id\":\"q1\"}", ErrorCode.UNKNOWN_COMMAND),
                arguments("{\"command\":\"ECHO\",\"id\":\"q1\"}", ErrorCode.MISSING_DATA),
                arguments("{\"command\":\"ECHO\",\"data\":null,\"id\":\"q1\"}", ErrorCode.INVALID_PARAMS),
                arguments("{\"command\":\"LIST_MESSAGES\",\"limit\":0,\"id\":\"q1\"}", ErrorCode.INVALID_PARAMS),
                arguments("{\"command\":\"MESSAGE\",\"data\":\"x\",\"room\":\"\",\"id\":\"q1\"}", ErrorCode.INVALID_PARAMS),
                arguments("{\"command\":\"ECHO\",\"command\":\"ECHO\",\"data\":\"x\",\"id\":\"q1\"}", ErrorCode.INVALID_MESSAGE),
                arguments("{\"data\":\"x\",\"id\":\"q1\"}", ErrorCode.INVALID_MESSAGE),
                arguments("{\"command\":\"MESSAGE\",\"data\":\"" + "m".repeat(LIMITS.maxTextBytes() + 1) + "\",\"id\":\"q1\"}",
                        ErrorCode.MESSAGE_TOO_LONG),
                arguments("{\"command\":\"ECHO\",\"data\":\"x\",\"id\":\"q1\",\"n\":" + "1".repeat(10_000) + "}",
                        ErrorCode.INVALID_PARAMS),
                // A syntax error stops the parse; an id read before it still counts.
                arguments("{\"id\":\"q1\",\"command\":\"ECHO\",\"data\":\"x\"} trailing", ErrorCode.INVALID_MESSAGE),
                arguments("{\"id\":\"q1\",\"command\":\"ECHO\",\"data\":" + "[".repeat(100), ErrorCode.TOO_DEEP),
                arguments("{\"id\":\"q1\",\"command\":\"ECHO\",\"data\":\"x\",,}", ErrorCode.INVALID_MESSAGE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linesWithIds")
    void carriesTheRequestIdOnEveryErrorOnceTheIdWasRead(String line, ErrorCode expected) {
        CodecException refused = refusal(line);

        assertThat(refused.code()).isEqualTo(expected);
        assertThat(refused.requestId()).isEqualTo(RequestId.of("q1"));
    }

    @Test
    void carriesTheRequestIdOfALineWithInvalidUtf8OrAByteOrderMark() {
        Frame badData = bytes(new int[0], "{\"id\":\"q1\",\"command\":\"ECHO\",\"data\":\"a", 0xC3, 0x28, '"', '}');
        Frame idAfterBadData = bytes(new int[0], "{\"command\":\"ECHO\",\"data\":\"", 0xFF, '"', ',', '"', 'i', 'd', '"',
                ':', '"', 'q', '1', '"', '}');
        Frame badId = bytes(new int[0], "{\"command\":\"ECHO\",\"data\":\"x\",\"id\":\"q", 0xFF, '"', '}');
        Frame bom = bytes(new int[] {0xEF, 0xBB, 0xBF}, "{\"command\":\"ECHO\",\"data\":\"x\",\"id\":\"q1\"}");

        assertThat(refusal(badData).code()).isEqualTo(ErrorCode.INVALID_UTF8);
        assertThat(refusal(badData).requestId()).isEqualTo(RequestId.of("q1"));
        assertThat(refusal(idAfterBadData).requestId()).isEqualTo(RequestId.of("q1"));
        // An id that itself holds bad bytes is not echoed in a laundered form.
        assertThat(refusal(badId).requestId()).isEqualTo(RequestId.NONE);
        assertThat(refusal(bom).code()).isEqualTo(ErrorCode.INVALID_MESSAGE);
        assertThat(refusal(bom).requestId()).isEqualTo(RequestId.of("q1"));
    }

    @Test
    void carriesNoRequestIdWhenTheIdWasNotReadOrNotValid() {
        assertThat(refusal("{\"command\":\"ECHO\",,\"id\":\"q1\"}").requestId()).isEqualTo(RequestId.NONE);
        assertThat(refusal("{\"command\":\"FOO\",\"id\":\"" + "i".repeat(65) + "\"}").requestId()).isEqualTo(RequestId.NONE);
        // Two ids: neither is trusted.
        assertThat(refusal("{\"command\":\"TIME\",\"id\":\"q1\",\"ID\":\"q2\"}").requestId()).isEqualTo(RequestId.NONE);
    }

    // ---------------------------------------------------------------------------------------------
    // Field names fold, command names do not

    @Test
    void matchesFieldNamesCaseInsensitivelyAsTheSeedsGoServerDoes() {
        assertThat(decode("{\"COMMAND\":\"ECHO\",\"Data\":\"caps\"}")).isEqualTo(new Request.Echo(RequestId.NONE, "caps"));
        assertThat(decode("{\"Command\":\"MESSAGE\",\"DATA\":\"hi\",\"Room\":\"golang\",\"ID\":\"x\"}"))
                .isEqualTo(new Request.Post(RequestId.of("x"), "golang", "hi"));
        assertThat(decode("{\"SUCCESS\":true,\"Message\":\"Echo response\",\"DATA\":\"caps\"}"))
                .isEqualTo(new Reply.Echoed(RequestId.NONE, "caps"));
    }

    @Test
    void foldsFieldNamesTheSameWayUnderATurkishDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            // Folding with the default locale would turn ID into "ıd" (dotless i) and lose the id.
            assertThat(decode("{\"COMMAND\":\"LIST_USERS\",\"ID\":\"I-1\"}"))
                    .isEqualTo(new Request.ListUsers(RequestId.of("I-1")));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void keepsCommandNamesExactAndCaseSensitive() {
        CodecException refused = refusal("{\"command\":\"echo\",\"data\":\"x\"}");

        assertThat(refused.code()).isEqualTo(ErrorCode.UNKNOWN_COMMAND);
        assertThat(decode("{\"command\":\"ECHO\",\"data\":\"x\"}")).isEqualTo(new Request.Echo(RequestId.NONE, "x"));
    }

    // ---------------------------------------------------------------------------------------------
    // What is accepted

    @Test
    void ignoresUnknownFieldsOfAnyTypeAndDepth() {
        String line = "{\"command\":\"ECHO\",\"data\":\"x\",\"extra\":{\"a\":[1,{\"b\":null}],\"c\":1e400},"
                + "\"n\":123456789012345678901234567890,\"s\":\"str\",\"t\":true,\"z\":null,\"arr\":[[[]]],"
                + "\"unknown\":\"\\ud800\"}";

        assertThat(decode(line)).isEqualTo(new Request.Echo(RequestId.NONE, "x"));
    }

    @Test
    void acceptsNestingExactlyAtTheLimit() {
        assertThat(decode(nestedUnknownField(LIMITS.maxJsonDepth() - 1))).isEqualTo(new Request.Echo(RequestId.NONE, "x"));
    }

    @Test
    void acceptsTextOfExactlyTheLimitEndingInAFourByteEmojiIntact() {
        String text = "a".repeat(LIMITS.maxTextBytes() - 4) + "🎉";
        assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(LIMITS.maxTextBytes());

        assertThat(decode(message(LIMITS.maxTextBytes(), null))).isEqualTo(new Request.Post(RequestId.NONE, "lobby", text));
        assertThat(decode(message(LIMITS.maxTextBytes(), "Bob")))
                .isEqualTo(new Request.PostPrivate(RequestId.NONE, "Bob", text));
        assertThat(refusal(message(LIMITS.maxTextBytes() + 1, null)).code()).isEqualTo(ErrorCode.MESSAGE_TOO_LONG);
    }

    @Test
    void boundsEchoByTheFrameOnlyAsTheSeedEchoedAMebibyte() {
        JsonCodec bigFrames = JsonCodec.create(LIMITS.withMaxFrameBytes(2 * 1024 * 1024), ZoneOffset.UTC);
        String text = "e".repeat(1024 * 1024);

        assertThat(bigFrames.decode(Frame.ofUtf8("{\"command\":\"ECHO\",\"data\":\"" + text + "\"}")))
                .isEqualTo(new Request.Echo(RequestId.NONE, text));
        assertThat(CODEC.decode(line(echoOfFrameSize(LIMITS.maxFrameBytes()))))
                .isInstanceOf(Request.Echo.class);
    }

    @Test
    void defaultsTheHistoryPageToTheConfiguredSizeAndLeavesCappingToTheServer() {
        JsonCodec pageOfFive = JsonCodec.create(LIMITS.withHistory(1000, 5, 100), ZoneOffset.UTC);

        assertThat(pageOfFive.decode(Frame.ofUtf8("{\"command\":\"LIST_MESSAGES\"}")))
                .isEqualTo(new Request.ListMessages(RequestId.NONE, "lobby", HistoryCursor.LATEST, 5));
        assertThat(decode("{\"command\":\"LIST_MESSAGES\",\"limit\":1000000000}"))
                .isEqualTo(new Request.ListMessages(RequestId.NONE, "lobby", HistoryCursor.LATEST, 1_000_000_000));
    }

    @Test
    void ignoresUnknownCapabilitiesForForwardCompatibility() {
        assertThat(decode("{\"command\":\"HELLO\",\"capabilities\":[\"PUSH\",\"TELEPATHY\",\"push\"]}"))
                .isEqualTo(new Request.Hello(RequestId.NONE, "", Set.of(Capability.PUSH)));
    }

    @Test
    void readsARegisterWithAPasswordAndIgnoresFieldsOtherCommandsUse() {
        assertThat(decode("{\"command\":\"REGISTER\",\"data\":\"Bob\",\"password\":\"pw\",\"limit\":\"not read\"}"))
                .isEqualTo(new Request.Register(RequestId.NONE, "Bob", Password.of("pw")));
    }

    @Test
    void readsAReplyOfAKindItDoesNotKnowAsTheSeedsShape() {
        ChatMessage future = decode("{\"success\":true,\"message\":\"Echo response\",\"data\":\"x\",\"id\":\"q\","
                + "\"reply\":\"hologram\",\"depth\":3}");
        ChatMessage unknownCode = decode("{\"success\":false,\"message\":\"slow down\",\"data\":\"\",\"id\":\"q\","
                + "\"reply\":\"failed\",\"code\":\"SOME_FUTURE_CODE\"}");
        ChatMessage closing = decode("{\"event\":\"closing\",\"code\":\"SOME_FUTURE_CODE\",\"text\":\"bye\"}");

        assertThat(future).isEqualTo(new Reply.Echoed(RequestId.of("q"), "x"));
        assertThat(unknownCode).isEqualTo(new Reply.Failed(RequestId.of("q"), ErrorCode.UNSPECIFIED, "slow down"));
        assertThat(closing).isEqualTo(new Event.Closing(ErrorCode.UNSPECIFIED, "bye"));
    }

    @Test
    void acceptsWhitespaceAroundTheObjectAndACarriageReturnBeforeTheEnd() {
        assertThat(decode(" \t{\"command\":\"TIME\"} \r")).isEqualTo(new Request.Time(RequestId.NONE));
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private static ChatMessage decode(String line) {
        return CODEC.decode(Frame.ofUtf8(line));
    }

    private static CodecException refusal(String line) {
        return refusal(Frame.ofUtf8(line));
    }

    private static CodecException refusal(Frame frame) {
        Throwable thrown = catchThrowable(() -> CODEC.decode(frame));
        assertThat(thrown).isInstanceOf(CodecException.class);
        return (CodecException) thrown;
    }

    private static Frame line(String text) {
        return Frame.ofUtf8(text);
    }

    /** {@code prefix} raw bytes, then {@code text} as UTF-8, then {@code suffix} raw bytes. */
    private static Frame bytes(int[] prefix, String text, int... suffix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int b : prefix) {
            out.write(b);
        }
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        for (int b : suffix) {
            out.write(b);
        }
        return new Frame(out.toByteArray());
    }

    /** An ECHO whose data holds {@code hole} in the middle of ASCII text. */
    private static Frame utf8Hole(int... hole) {
        int[] suffix = Arrays.copyOf(hole, hole.length + 3);
        suffix[hole.length] = 'b';
        suffix[hole.length + 1] = '"';
        suffix[hole.length + 2] = '}';
        return bytes(new int[0], "{\"command\":\"ECHO\",\"data\":\"a", suffix);
    }

    /** A valid ECHO plus an unknown field nested {@code levels} arrays deep below the top object. */
    private static String nestedUnknownField(int levels) {
        return "{\"command\":\"ECHO\",\"data\":\"x\",\"deep\":" + "[".repeat(levels) + "]".repeat(levels) + "}";
    }

    /** A MESSAGE whose text is {@code bytes} long in UTF-8 and ends in a 4-byte emoji. */
    private static String message(int bytes, String to) {
        String text = "a".repeat(bytes - 4) + "🎉";
        return "{\"command\":\"MESSAGE\",\"data\":\"" + text + "\"" + (to == null ? "" : ",\"to\":\"" + to + "\"") + "}";
    }

    /** An ECHO line of exactly {@code size} bytes. */
    private static String echoOfFrameSize(int size) {
        String head = "{\"command\":\"ECHO\",\"data\":\"";
        String tail = "\"}";
        return head + "e".repeat(size - head.length() - tail.length()) + tail;
    }
}
