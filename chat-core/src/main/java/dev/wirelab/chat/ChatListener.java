package dev.wirelab.chat;

import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Reply;

/**
 * What a {@link ChatClient} hears besides the replies it waits for. Called on the client's reader
 * thread, one call at a time and in arrival order; implementations must be quick and must not throw.
 */
public interface ChatListener {

    /** Ignores everything. */
    ChatListener NONE = new ChatListener() {
    };

    /** A pushed event: a room message, a private message, presence, a server notice. */
    default void onEvent(Event event) {
    }

    /** A reply nobody is waiting for: to a request sent with {@link ChatClient#send}, or without an id. */
    default void onReply(Reply reply) {
    }

    /** The connection ended; {@code reason} says how. Called once. */
    default void onClosed(String reason) {
    }
}
