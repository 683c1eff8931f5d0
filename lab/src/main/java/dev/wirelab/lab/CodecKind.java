package dev.wirelab.lab;

import dev.wirelab.codec.json.JsonCodec;
import dev.wirelab.codec.protobuf.ProtobufCodec;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Limits;
import java.util.Locale;

/** The codecs the command line offers, by the names people type. */
enum CodecKind {
    /** JSON lines, byte-compatible with the seed's Go client. */
    JSON,
    /** Protocol Buffers behind a 4-byte length prefix. */
    PROTOBUF;

    /** The lower-case name used on the command line and in output. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    Codec create(Limits limits) {
        return switch (this) {
            case JSON -> JsonCodec.create(limits);
            case PROTOBUF -> ProtobufCodec.create(limits);
        };
    }

    /**
     * Parses a name as typed, ignoring case.
     *
     * @throws IllegalArgumentException naming the choices
     */
    static CodecKind parse(String text) {
        for (CodecKind kind : values()) {
            if (kind.label().equalsIgnoreCase(text.strip())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown codec '" + text + "': choose json or protobuf");
    }
}
