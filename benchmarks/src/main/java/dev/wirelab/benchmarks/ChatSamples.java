package dev.wirelab.benchmarks;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages the codec benchmarks encode: one of each kind (a request, a reply, an event) at three
 * sizes. Text is plain ASCII chat prose, the common case; {@code testkit}'s samples cover the awkward
 * characters for correctness, not speed.
 */
final class ChatSamples {

    /** Messages a {@link Reply.History} page holds in these samples. */
    static final int HISTORY_PAGE = 5;

    private static final String PROSE = "the quick brown fox jumps over the lazy dog; pack my box with five dozen jugs. ";
    private static final RequestId ID = RequestId.of("r-1042");
    private static final Instant AT = Instant.parse("2026-11-29T14:15:29.123456789Z");

    private ChatSamples() {
    }

    /** Characters of chat text for a size name: {@code small} 16, {@code medium} 256, {@code large} 4000. */
    static int textLength(String size) {
        return switch (size) {
            case "small" -> 16;
            case "medium" -> 256;
            case "large" -> 4000;
            default -> throw new IllegalArgumentException("unknown size '" + size + "': small, medium or large");
        };
    }

    /**
     * The sample of {@code kind} at {@code size}: {@code request} a room post, {@code reply} a history
     * page of {@value #HISTORY_PAGE} messages (each of the size's text), {@code event} a pushed room message.
     */
    static ChatMessage message(String kind, String size) {
        String text = text(textLength(size));
        return switch (kind) {
            case "request" -> new Request.Post(ID, "golang", text);
            case "reply" -> {
                List<StoredMessage> page = new ArrayList<>();
                for (int i = 1; i <= HISTORY_PAGE; i++) {
                    page.add(stored(1000 + i, text));
                }
                yield new Reply.History(ID, "golang", page, false);
            }
            case "event" -> new Event.RoomMessage(stored(1042, text));
            default -> throw new IllegalArgumentException("unknown message kind '" + kind + "': request, reply or event");
        };
    }

    /** {@code length} characters of ASCII prose. */
    static String text(int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            text.append(PROSE, 0, Math.min(PROSE.length(), length - text.length()));
        }
        return text.toString();
    }

    private static StoredMessage stored(long id, String text) {
        return new StoredMessage(MessageId.of(id), "golang", id % 2 == 0 ? "alice" : "bob", text, AT.plusMillis(id));
    }
}
