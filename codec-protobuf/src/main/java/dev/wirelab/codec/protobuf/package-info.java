/**
 * The Protocol Buffers codec: {@code chat.proto}'s envelope mapped to and from the message records,
 * length-prefixed on streams.
 */
package dev.wirelab.codec.protobuf;
