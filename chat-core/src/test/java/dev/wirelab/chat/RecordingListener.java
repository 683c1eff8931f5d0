package dev.wirelab.chat;

import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Reply;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link ChatListener} that keeps everything it hears, in arrival order, for a test to poll.
 * The client's reader thread adds; any thread reads. Each call only appends to a lock-free queue,
 * so it is quick and never throws, as the listener contract asks.
 */
final class RecordingListener implements ChatListener {

    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private volatile String closeReason;

    @Override
    public void onEvent(Event event) {
        events.add(event);
    }

    @Override
    public void onReply(Reply reply) {
        replies.add(reply);
    }

    @Override
    public void onClosed(String reason) {
        closeReason = reason;
    }

    /** Every event so far, oldest first. */
    List<Event> events() {
        return List.copyOf(events);
    }

    /** The events of one kind, oldest first. */
    <E extends Event> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Room messages posted to {@code room}, oldest first. */
    List<Event.RoomMessage> roomMessages(String room) {
        return events(Event.RoomMessage.class).stream().filter(m -> m.message().room().equals(room)).toList();
    }

    /** Replies nobody waited for (to {@code send}, or without an id), oldest first. */
    List<Reply> replies() {
        return List.copyOf(replies);
    }

    boolean closed() {
        return closeReason != null;
    }

    /** Why the connection ended, or null while it is open. */
    String closeReason() {
        return closeReason;
    }
}
