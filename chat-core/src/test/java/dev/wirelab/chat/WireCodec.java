package dev.wirelab.chat;

import dev.wirelab.codec.json.JsonCodec;
import dev.wirelab.codec.protobuf.ProtobufCodec;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Limits;
import java.time.ZoneOffset;

/** The two codecs, as a parameter for tests that run the chat over each ({@code @EnumSource}). */
enum WireCodec {

    /** JSON lines; seed-style history lines in UTC, so expected texts do not depend on the machine. */
    JSON {
        @Override
        Codec create(Limits limits) {
            return JsonCodec.create(limits, ZoneOffset.UTC);
        }
    },

    /** Length-prefixed protobuf envelopes. */
    PROTOBUF {
        @Override
        Codec create(Limits limits) {
            return ProtobufCodec.create(limits);
        }
    };

    /** A codec enforcing {@code limits}. */
    abstract Codec create(Limits limits);
}
