package dev.wirelab.benchmarks;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Plain records with the JSON codec's wire shape for the three benchmarked messages, for Jackson
 * databind: what a program would write if it used Jackson directly. Field order follows the codec,
 * so databind writes the very same bytes.
 */
final class RawJson {

    private RawJson() {
    }

    /** The record type for a wire object: a post request, a history reply or a room-message event. */
    static Class<?> typeOf(JsonNode tree) {
        if (tree.has("command")) {
            return Post.class;
        }
        if (tree.has("event")) {
            return RoomMessage.class;
        }
        if (tree.has("messages")) {
            return History.class;
        }
        throw new IllegalArgumentException("no raw record for " + tree);
    }

    /** {@code {"command":"MESSAGE","data":..,"id":..,"room":..}} */
    @JsonPropertyOrder({"command", "data", "id", "room"})
    public record Post(String command, String data, String id, String room) {
    }

    /** A stored message inside a history page. */
    @JsonPropertyOrder({"msgid", "room", "from", "text", "time"})
    public record Stored(long msgid, String room, String from, String text, String time) {
    }

    /** {@code {"success":true,"message":..,"data":..,"id":..,"reply":"history","room":..,"messages":[..],"complete":..}} */
    @JsonPropertyOrder({"success", "message", "data", "id", "reply", "room", "messages", "complete"})
    public record History(boolean success, String message, String data, String id, String reply, String room,
                          List<Stored> messages, boolean complete) {
    }

    /** {@code {"event":"message","msgid":..,"room":..,"from":..,"text":..,"time":..}} */
    @JsonPropertyOrder({"event", "msgid", "room", "from", "text", "time"})
    public record RoomMessage(String event, long msgid, String room, String from, String text, String time) {
    }
}
