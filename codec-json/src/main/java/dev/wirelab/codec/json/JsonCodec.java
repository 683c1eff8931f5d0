package dev.wirelab.codec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.Framing;
import dev.wirelab.protocol.Limits;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The JSON-lines codec: one compact JSON object per line, UTF-8, as the seed's Go server and
 * client speak it, plus wirelab's extensions. {@code docs/protocol-json.md} is the full
 * specification; in short:
 *
 * <pre>
 * request  {"command":"ECHO","data":"Hello, Server!"}                       (seed)
 *          {"command":"MESSAGE","data":"hi","id":"r-7","room":"golang"}      (wirelab)
 * reply    {"success":true,"message":"Echo response","data":"Hello, Server!"} (seed: request had no id)
 *          {"success":true,"message":"Message broadcasted","data":"","id":"r-7","reply":"posted",
 *           "msgid":12,"time":"2026-11-29T14:15:29.123456789Z"}             (wirelab, on one line)
 * event    {"event":"presence","room":"lobby","user":"Bob","change":"joined","time":"..."}
 * </pre>
 *
 * <p>A reply to a request without an id is written in the seed's exact shape and bytes, so the
 * seed's own client keeps working; seed-shaped replies are lossy by design (a client tells them
 * apart by their text), which is why wirelab clients always send ids.
 *
 * <p>Decoding is hardened: strict UTF-8, exactly one object per line, depth and number-length
 * limits from {@link Limits}, duplicate fields refused, field names matched case-insensitively
 * (as the seed's Go server does) while command names match exactly. Every failure is a
 * {@link CodecException} with an error code and, when it was read, the request id.
 *
 * <p>Instances are immutable, stateless and thread-safe; share one per configuration.
 */
public final class JsonCodec implements Codec {

    private final Framing framing;
    private final ZoneId zone;
    private final MessageEncoder encoder;
    private final MessageDecoder decoder;

    private JsonCodec(Limits limits, ZoneId zone) {
        this.framing = Framing.lines(limits.maxFrameBytes());
        this.zone = zone;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        // LineParser enforces maxJsonDepth itself, to tell TOO_DEEP from other limits;
                        // Jackson's check, one level further out, is a backstop that never fires first.
                        .maxNestingDepth(limits.maxJsonDepth() + 1)
                        .maxNumberLength(limits.maxJsonNumberLength())
                        .maxStringLength(limits.maxFrameBytes())
                        .maxNameLength(limits.maxFrameBytes())
                        .maxDocumentLength(limits.maxFrameBytes())
                        .build())
                // Field names come from peers: canonicalise them for speed, but never intern them.
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                // Characters outside the BMP as raw 4-byte UTF-8 (as the seed), not as two escaped surrogates.
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .build();
        this.encoder = new MessageEncoder(factory, limits, zone);
        this.decoder = new MessageDecoder(factory, limits);
    }

    /**
     * A codec enforcing {@code limits}, writing the clock times of seed-style history lines in the
     * system's default zone (as the seed's server does).
     */
    public static JsonCodec create(Limits limits) {
        return create(limits, ZoneId.systemDefault());
    }

    /**
     * A codec enforcing {@code limits}, writing the clock times of seed-style history lines
     * ({@code [14:15:29] Alice: Hello}) in {@code zone}. The zone changes no other byte.
     */
    public static JsonCodec create(Limits limits, ZoneId zone) {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(zone, "zone");
        return new JsonCodec(limits, zone);
    }

    /** {@code json}. */
    @Override
    public String name() {
        return "json";
    }

    /** Newline-delimited lines of at most {@code limits.maxFrameBytes()} bytes. */
    @Override
    public Framing framing() {
        return framing;
    }

    /**
     * Encodes one message as one line without its newline.
     *
     * @throws CodecException if a text holds an unpaired surrogate ({@code INVALID_UTF8}), or for a
     *                        LOGIN without a password, which the wire form cannot carry
     */
    @Override
    public Frame encode(ChatMessage message) {
        Objects.requireNonNull(message, "message");
        return encoder.encode(message);
    }

    /**
     * Decodes one line (without its newline, and without a {@code \r} before it).
     *
     * @throws CodecException and no other exception, with the error code saying what was wrong
     */
    @Override
    public ChatMessage decode(Frame frame) {
        Objects.requireNonNull(frame, "frame");
        return decoder.decode(frame);
    }

    @Override
    public String toString() {
        return "JsonCodec[maxFrameBytes=" + framing.maxFrameBytes() + ", zone=" + zone + "]";
    }
}
