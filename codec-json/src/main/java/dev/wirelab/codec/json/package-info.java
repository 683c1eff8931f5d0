/**
 * The JSON-lines codec: the seed's request and reply shapes byte for byte, plus wirelab's
 * extensions (request ids, typed replies, pushed events), parsed one line at a time with hard
 * limits.
 *
 * <p>{@link dev.wirelab.codec.json.JsonCodec} is the only public type. Behind it,
 * {@code MessageEncoder} writes with Jackson's streaming generator, {@code MessageDecoder} checks
 * size, UTF-8 and meaning, and {@code LineParser} walks Jackson's tokens, enforcing depth and
 * refusing duplicate fields without recursion. No data binding and no annotations: the type
 * discriminators are written by hand in exhaustive {@code switch}es over the sealed message
 * records, so a new message type does not build until it has a wire form. The wire format is
 * specified in {@code docs/protocol-json.md}.
 */
package dev.wirelab.codec.json;
