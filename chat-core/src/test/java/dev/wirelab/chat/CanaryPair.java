package dev.wirelab.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.testkit.Await;
import dev.wirelab.transport.Transport;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Two well-behaved wirelab clients that keep talking while a test attacks the server: the "nothing
 * lost for anyone else" oracle of {@code limits-and-bad-input.md} §3.
 *
 * <p>Both say HELLO with PUSH and sit in the lobby. {@link #SENDER} posts {@code canary-0},
 * {@code canary-1}, ... one every {@code period} on a virtual thread of its own, each with
 * {@code call} (so every post is acknowledged), and times an ECHO round trip every few posts;
 * {@link #RECEIVER} records every event it is pushed. After the hostile action the test calls
 * {@link #assertDeliveredEverythingInOrder()}: the sender posts a final marker, the receiver must
 * get it, and before it exactly the posts the server acknowledged, in order, with no gap, every
 * message id larger than the one before, and no ECHO slower than {@link #MAX_ECHO}.
 */
final class CanaryPair implements AutoCloseable {

    static final String SENDER = "CanaryTx";
    static final String RECEIVER = "CanaryRx";
    static final String MARKER = "canary-end";

    /** A post every 5 ms: busy enough to notice a stall, light enough for two loaded cores. */
    static final Duration DEFAULT_PERIOD = Duration.ofMillis(5);

    /** Generous: the reference asks for 1 s; CI has two loaded cores. */
    static final Duration MAX_ECHO = Duration.ofSeconds(5);

    private static final int ECHO_EVERY = 4;

    private final ChatClient sender;
    private final ChatClient receiver;
    private final RecordingListener senderHeard;
    private final RecordingListener receiverHeard;
    private final Duration period;
    private final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong slowestEchoNanos = new AtomicLong();
    private final Thread pacer;
    private volatile boolean stopping;
    private boolean finished;

    private CanaryPair(ChatClient sender, RecordingListener senderHeard, ChatClient receiver,
                       RecordingListener receiverHeard, Duration period) {
        this.sender = sender;
        this.senderHeard = senderHeard;
        this.receiver = receiver;
        this.receiverHeard = receiverHeard;
        this.period = period;
        this.pacer = Thread.ofVirtual().name("canary-pacer").unstarted(this::pace);
    }

    /** Starts the pair with {@link #DEFAULT_PERIOD}. */
    static CanaryPair start(Transport transport, Codec codec, SocketAddress server) throws IOException {
        return start(transport, codec, server, DEFAULT_PERIOD);
    }

    /**
     * Connects both canaries (the receiver first, so it hears everything the sender says), starts
     * the sender, and returns once the receiver has heard the first post.
     */
    static CanaryPair start(Transport transport, Codec codec, SocketAddress server, Duration period)
            throws IOException {
        return start(transport, codec, server, period, ChatClient.KEEPALIVE_DEFAULT);
    }

    /**
     * Starts the pair as {@link #start(Transport, Codec, SocketAddress, Duration)} does, both clients
     * pinging after {@code keepAlive} of quiet: the receiver sends nothing of its own, so a server
     * with a short idle timeout would drop it otherwise.
     */
    static CanaryPair start(Transport transport, Codec codec, SocketAddress server, Duration period, Duration keepAlive)
            throws IOException {
        RecordingListener receiverHeard = new RecordingListener();
        ChatClient receiver = ChatClients.pushUser(transport, codec, server, RECEIVER, receiverHeard, keepAlive);
        RecordingListener senderHeard = new RecordingListener();
        ChatClient sender;
        try {
            sender = ChatClients.pushUser(transport, codec, server, SENDER, senderHeard, keepAlive);
        } catch (IOException | RuntimeException | AssertionError e) {
            receiver.close();
            throw e;
        }
        CanaryPair pair = new CanaryPair(sender, senderHeard, receiver, receiverHeard, period);
        pair.pacer.start();
        Await.until("the canary receiver hears the first post", () -> !pair.received(SENDER).isEmpty());
        return pair;
    }

    private void pace() {
        for (int n = 0; !stopping; n++) {
            String text = "canary-" + n;
            try {
                Reply reply = sender.call(id -> new Request.Post(id, Request.DEFAULT_ROOM, text), ChatClients.REPLY_TIMEOUT);
                if (reply instanceof Reply.Posted) {
                    acknowledged.add(text);
                } else {
                    failures.add(text + " was answered " + reply);
                }
                if (n % ECHO_EVERY == 0) {
                    echo("echo-" + n);
                }
            } catch (IOException e) {
                failures.add(text + " failed: " + e);
                return;
            }
            LockSupport.parkNanos(period.toNanos());
        }
    }

    private void echo(String text) throws IOException {
        long start = System.nanoTime();
        Reply reply = sender.call(id -> new Request.Echo(id, text), ChatClients.REPLY_TIMEOUT);
        long took = System.nanoTime() - start;
        slowestEchoNanos.accumulateAndGet(took, Math::max);
        if (!(reply instanceof Reply.Echoed echoed) || !echoed.text().equals(text)) {
            failures.add("ECHO " + text + " was answered " + reply);
        }
    }

    /**
     * Stops the paced posts, posts {@link #MARKER} and waits until the receiver has it: everything
     * posted before the marker has then been delivered, or never will be. Idempotent.
     */
    void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        stopping = true;
        try {
            if (!pacer.join(Duration.ofSeconds(30))) {
                failures.add("the canary pacer did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted stopping the canary", e);
        }
        assertConnected();
        Reply reply = sender.call(id -> new Request.Post(id, Request.DEFAULT_ROOM, MARKER), ChatClients.REPLY_TIMEOUT);
        assertThat(reply).as("reply to the canary's final marker").isInstanceOf(Reply.Posted.class);
        Await.until("the canary receiver hears the final marker",
                () -> received(SENDER).stream().anyMatch(m -> m.message().text().equals(MARKER)));
    }

    /** Neither canary has been disconnected (a disconnection names its reason). */
    void assertConnected() {
        assertThat(receiver.isClosed()).as("canary receiver disconnected (%s)", receiverHeard.closeReason()).isFalse();
        assertThat(sender.isClosed()).as("canary sender disconnected (%s)", senderHeard.closeReason()).isFalse();
    }

    /**
     * The canary's verdict: every post the server acknowledged reached the receiver once, in
     * order, with no gap, followed by the marker; the receiver saw message ids only grow; no post
     * or ECHO failed; no ECHO took {@link #MAX_ECHO} or longer, and one more ECHO now does not either.
     */
    void assertDeliveredEverythingInOrder() throws IOException {
        finish();
        assertThat(failures).as("canary posts and ECHOs that failed").isEmpty();
        List<String> expected = new ArrayList<>(acknowledged);
        assertThat(expected).as("canary posts acknowledged").isNotEmpty();
        expected.add(MARKER);
        assertThat(received(SENDER)).extracting(m -> m.message().text())
                .as("what the canary receiver got from the canary sender")
                .containsExactlyElementsOf(expected);
        List<MessageId> ids = receiverHeard.events(Event.RoomMessage.class).stream().map(m -> m.message().id()).toList();
        assertThat(ids).as("message ids the canary receiver saw, in arrival order").isSortedAccordingTo(MessageId::compareTo)
                .doesNotHaveDuplicates();
        assertThat(Duration.ofNanos(slowestEchoNanos.get())).as("slowest canary ECHO round trip").isLessThan(MAX_ECHO);
        long start = System.nanoTime();
        Reply echo = sender.call(id -> new Request.Echo(id, "still there?"), ChatClients.REPLY_TIMEOUT);
        assertThat(echo).isInstanceOf(Reply.Echoed.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("canary ECHO round trip at the end").isLessThan(MAX_ECHO);
        assertConnected();
    }

    /** Room messages from {@code user} in the lobby, as the receiver got them. */
    List<Event.RoomMessage> received(String user) {
        return receiverHeard.roomMessages(Request.DEFAULT_ROOM).stream()
                .filter(m -> m.message().from().equals(user)).toList();
    }

    /** How many lobby messages from {@code user} the slower of the two canaries has got so far. */
    int leastReceivedFrom(String user) {
        return Math.min(countFrom(receiverHeard, user), countFrom(senderHeard, user));
    }

    private static int countFrom(RecordingListener heard, String user) {
        return (int) heard.events(Event.RoomMessage.class).stream().filter(m -> m.message().from().equals(user)).count();
    }

    /** The presence changes the receiver was told about {@code user}, oldest first. */
    List<PresenceChange> presenceOf(String user) {
        return receiverHeard.events(Event.Presence.class).stream()
                .filter(p -> p.user().equals(user)).map(Event.Presence::change).toList();
    }

    /** The sending canary's client, for a round trip of a test's own. */
    ChatClient sender() {
        return sender;
    }

    /** The receiving canary's client, for a LIST_USERS or similar. */
    ChatClient receiver() {
        return receiver;
    }

    @Override
    public void close() {
        stopping = true;
        try {
            pacer.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.close();
        receiver.close();
    }
}
