/**
 * The chat's vocabulary and the contracts every codec follows.
 *
 * <p>{@link dev.wirelab.protocol.ChatMessage} is a sealed hierarchy of records: a
 * {@link dev.wirelab.protocol.Request} goes from client to server and is answered by exactly one
 * {@link dev.wirelab.protocol.Reply} carrying the same {@link dev.wirelab.protocol.RequestId}; an
 * {@link dev.wirelab.protocol.Event} is pushed by the server, and only to clients that asked for
 * pushes with {@link dev.wirelab.protocol.Request.Hello}. Because the hierarchy is sealed, every
 * {@code switch} over it is exhaustive without a {@code default}, so adding a message breaks the
 * build until every codec and the chat handle it.
 *
 * <p>A {@link dev.wirelab.protocol.Codec} turns messages into {@link dev.wirelab.protocol.Frame}s
 * and back, with no I/O; a {@link dev.wirelab.protocol.Framing} cuts frames out of a byte stream
 * (lines, or a length prefix), also with no I/O. Limits live in {@link dev.wirelab.protocol.Limits}.
 * This package uses the JDK only.
 */
package dev.wirelab.protocol;
