package dev.wirelab.protocol;

import java.util.Objects;

/** Where a page of history starts: the newest messages, or those before or after a message id. */
public sealed interface HistoryCursor {

    /** The newest messages (the seed's LIST_MESSAGES). */
    HistoryCursor LATEST = new Latest();

    static HistoryCursor before(MessageId id) {
        return new Before(id);
    }

    static HistoryCursor after(MessageId id) {
        return new After(id);
    }

    /** The newest messages. */
    record Latest() implements HistoryCursor {
    }

    /** Messages older than {@code id}, newest last. */
    record Before(MessageId id) implements HistoryCursor {
        public Before {
            Objects.requireNonNull(id, "id");
        }
    }

    /** Messages newer than {@code id}, oldest first. */
    record After(MessageId id) implements HistoryCursor {
        public After {
            Objects.requireNonNull(id, "id");
        }
    }
}
