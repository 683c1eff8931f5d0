/**
 * The Protocol Buffers codec: {@code chat.proto}'s {@code Envelope} mapped to and from the message
 * records, length-prefixed on streams.
 *
 * <p>{@link dev.wirelab.codec.protobuf.ProtobufCodec} is the only public type written by hand. The
 * mapping is done by hand too, in package-private classes, with exhaustive switches over the sealed
 * message types and over the envelope's {@code oneof}, so a record added to the protocol does not
 * compile here until it has a place on the wire. The classes protoc generates from
 * {@code src/main/proto/chat.proto} live in {@code dev.wirelab.codec.protobuf.wire}; they are
 * public because protoc makes them so, but nothing outside this module should need them.
 * {@code docs/protocol-protobuf.md} describes the wire format.
 */
package dev.wirelab.codec.protobuf;
