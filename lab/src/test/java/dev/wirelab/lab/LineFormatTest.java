package dev.wirelab.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.StoredMessage;
import dev.wirelab.testkit.SampleMessages;
import dev.wirelab.transport.TrafficStats;
import dev.wirelab.transport.udp.EngineConfig;
import dev.wirelab.transport.udp.EngineStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LineFormatTest {

    /** SampleMessages.AWKWARD as one line: the backslash doubled, tab and newline escaped. */
    private static final String AWKWARD_LINE = "héllo \"wörld\" \\\\ tab\\t newline\\n 🎉 end";

    @Test
    void showsEverySampleReplyAsItsLine() {
        List<String> lines = SampleMessages.replies().stream().map(LineFormat::reply).toList();

        assertThat(lines).containsExactly(
                "ok Welcome to TCP/IP Educational Server!",
                "ok note: " + AWKWARD_LINE,
                "ok connected to wirelab/0.1 (protocol 1; PUSH, ROOMS)",
                "ok connected to an unnamed server (protocol 2; no capabilities)",
                "ok Registration successful. Welcome, Alice!",
                "ok Login successful. Welcome back, Bob!",
                "ok posted #12",
                "ok sent #13 to Bob",
                "ok joined golang: Alice, Bob",
                "ok left golang",
                "ok 2 users online: Alice, Bob",
                "ok 0 users online",
                "ok 2 rooms: lobby (2), golang (0)",
                "ok history lobby: 2 messages, complete | #1 Alice: message 1 | #2 Bob: message 2",
                "ok history lobby: 0 messages, more",
                "ok echo: " + AWKWARD_LINE,
                "ok time 2026-11-29T14:15:31Z",
                "ok time 2026-11-29T15:15:31+01:00",
                "ok pong 1732889729123",
                "ok Goodbye!",
                "error UNKNOWN_COMMAND Validation error: unknown command: FOO",
                "error NAME_TAKEN Name already taken: Alice");
    }

    @Test
    void showsEverySampleEventAsItsLine() {
        List<String> lines = SampleMessages.events().stream().map(LineFormat::event).toList();

        assertThat(lines).containsExactly(
                "[lobby] Alice: " + AWKWARD_LINE,
                "(private) Alice -> Bob: " + AWKWARD_LINE,
                "* Bob joined lobby",
                "* Bob left golang (disconnected)",
                "! closing SERVER_SHUTTING_DOWN Server is shutting down");
    }

    @Test
    void coversEveryReplyAndEventType() {
        List<ChatMessage> samples = new ArrayList<>(SampleMessages.replies());
        samples.addAll(SampleMessages.events());
        Set<Class<?>> shown = samples.stream().map(Object::getClass).collect(Collectors.toSet());
        Set<Class<?>> types = SampleMessages.recordTypes().stream()
                .filter(type -> Reply.class.isAssignableFrom(type) || Event.class.isAssignableFrom(type))
                .collect(Collectors.toSet());

        assertThat(shown).containsAll(types);
    }

    @Test
    void showsEachWayOfLeavingARoom() {
        assertThat(LineFormat.event(new Event.Presence("golang", "bob", PresenceChange.LEFT, SampleMessages.AT)))
                .isEqualTo("* bob left golang");
        assertThat(LineFormat.event(new Event.Presence("golang", "bob", PresenceChange.QUIT, SampleMessages.AT)))
                .isEqualTo("* bob left golang (quit)");
    }

    @Test
    void countsOneInTheSingular() {
        StoredMessage one = new StoredMessage(MessageId.of(5), "golang", "bob", "hi", SampleMessages.AT);
        assertThat(LineFormat.reply(new Reply.History(SampleMessages.ID, "golang", List.of(one), false)))
                .isEqualTo("ok history golang: 1 message, more | #5 bob: hi");
        assertThat(LineFormat.reply(new Reply.Users(SampleMessages.ID, List.of("bob"))))
                .isEqualTo("ok 1 user online: bob");
        assertThat(LineFormat.reply(new Reply.Rooms(SampleMessages.ID, List.of()))).isEqualTo("ok 0 rooms");
    }

    @Test
    void neverLetsNetworkTextBreakTheLineOrDriveTheTerminal() {
        String hostile = "a\r\nb\u001b[2Jc\u0000d\u2028e\u0085f";
        String line = LineFormat.event(new Event.PrivateMessage(MessageId.of(1), "eve", "bob", hostile, SampleMessages.AT));

        assertThat(line).isEqualTo("(private) eve -> bob: a\\r\\nb\\u001b[2Jc\\u0000d\\u2028e\\u0085f");
        assertThat(line.chars()).noneMatch(Character::isISOControl);
    }

    @Test
    void keepsEverySampleOnOneLine() {
        List<String> lines = new ArrayList<>();
        SampleMessages.replies().forEach(reply -> lines.add(LineFormat.reply(reply)));
        SampleMessages.events().forEach(event -> lines.add(LineFormat.event(event)));

        assertThat(lines).allSatisfy(line -> assertThat(line.chars()).noneMatch(Character::isISOControl));
    }

    @Test
    void showsLocalMistakesAndTheEndOfTheConnectionInTheSameShapes() {
        assertThat(LineFormat.usageError("unknown command /x (try /help)"))
                .isEqualTo("error USAGE unknown command /x (try /help)");
        assertThat(LineFormat.disconnected("peer closed\n")).isEqualTo("! connection closed: peer closed\\n");
        assertThat(LineFormat.reply(new Reply.Failed(SampleMessages.ID, ErrorCode.RATE_LIMITED, "Slow down"))).isEqualTo("error RATE_LIMITED Slow down");
    }

    /** Engine counters with a distinct value in every field the line shows, so a swapped pair shows. */
    private static EngineStats engine(long minRttNanos, long bytesDelivered) {
        return new EngineStats(
                50, 6_000,         // datagrams and bytes out
                48, 6_550,         // datagrams and bytes in
                42, 4_800,         // messages and payload bytes sent
                11,                // back-pressured sends
                40, bytesDelivered,
                2, 4, 1,           // fast, time-threshold, PTO retransmits
                5,                 // spurious retransmits
                3,                 // packets lost
                1,                 // spurious losses (not shown)
                6, 8,              // duplicate packets, duplicate frames
                9,                 // messages that waited (not shown)
                12_345_678, 8_100_000, // head-of-line wait total, max
                412_345, 103_000, minRttNanos,
                999_000_000,       // PTO (not shown)
                14_720, 1_200,     // cwnd, bytes in flight
                1, 0, 0,           // packets in flight, send buffer (not shown)
                0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void showsAUdpConnectionsEngineCountersOnOneLineWithTheirUnits() {
        TrafficStats traffic = new TrafficStats(5_012, 5_234, 40, 42);

        String line = LineFormat.stats(new ConnectionCounters.Udp(traffic, engine(301_000, 5_000),
                EngineConfig.Congestion.NEW_RENO));

        assertThat(line).isEqualTo("ok stats udp: rtt 0.412 ms (var 0.103, min 0.301), cwnd 14720 B, in flight 1200 B; "
                + "sent 42 frames / 5234 B, received 40 frames / 5012 B; "
                + "retransmits 7 (fast 2, time 4, pto 1), spurious 5, lost 3; duplicates 6 packets / 8 frames; "
                + "head-of-line wait 12.346 ms total, 8.100 ms max; 1.31 wire bytes per delivered byte; "
                + "back-pressured sends 11");
    }

    @Test
    void saysWhatIsNotKnownYetAndCountsAKcpWindowInPackets() {
        String line = LineFormat.stats(new ConnectionCounters.Udp(TrafficStats.ZERO, engine(0, 0),
                EngineConfig.Congestion.KCP));

        assertThat(line).contains("(var 0.103, min none)", ", cwnd 14720 packets,", "; no byte delivered yet;")
                .doesNotContain("NaN").doesNotContain("\n");
    }

    @Test
    void countsOneFrameOrPacketInTheSingular() {
        String line = LineFormat.stats(new ConnectionCounters.Udp(new TrafficStats(443, 2_613, 2, 1),
                new EngineStats(1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0,
                        1_000_000, 500_000, 1_000_000, 3_000_000, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                EngineConfig.Congestion.KCP));

        assertThat(line).contains("sent 1 frame / 2613 B, received 2 frames / 443 B;",
                "; duplicates 1 packet / 1 frame;", "; 1.00 wire bytes per delivered byte;");
    }

    @Test
    void showsOnlyTrafficForATransportWithoutAnEngine() {
        String line = LineFormat.stats(new ConnectionCounters.TrafficOnly("tcp", new TrafficStats(498, 312, 6, 5)));

        assertThat(line).isEqualTo("ok stats tcp: sent 5 frames / 312 B, received 6 frames / 498 B");
    }
}
