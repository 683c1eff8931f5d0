package dev.wirelab.chat;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.ErrorCode;
import java.util.Objects;

/** What {@link ChatState} wants done; the server shell carries it out, in order. */
sealed interface Outbound {

    /** Queue {@code message} for one session. */
    record Send(SessionId to, ChatMessage message) implements Outbound {
        public Send {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Close one session once what is queued for it has been sent. */
    record Close(SessionId session, ErrorCode reason, String text) implements Outbound {
        public Close {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(text, "text");
        }
    }
}
