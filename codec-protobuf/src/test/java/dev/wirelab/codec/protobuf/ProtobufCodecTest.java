package dev.wirelab.codec.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelab.codec.protobuf.wire.Capability;
import dev.wirelab.codec.protobuf.wire.Envelope;
import dev.wirelab.codec.protobuf.wire.Hello;
import dev.wirelab.codec.protobuf.wire.ListMessages;
import dev.wirelab.codec.protobuf.wire.Post;
import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.Framing;
import dev.wirelab.protocol.Frame;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.Limits;
import dev.wirelab.protocol.MessageId;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import dev.wirelab.protocol.StoredMessage;
import dev.wirelab.testkit.CodecContract;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared codec contract, plus what only the protobuf mapping has to get right. */
@Timeout(30)
class ProtobufCodecTest extends CodecContract {

    private static final RequestId ID = RequestId.of("p-1");
    private final ProtobufCodec codec = ProtobufCodec.create(Limits.DEFAULTS);

    @Override
    protected Codec codec() {
        return codec;
    }

    private static Frame frame(Envelope envelope) {
        return new Frame(envelope.toByteArray());
    }

    @Test
    void isNamedProtobufAndUsesALengthPrefixBoundByTheFrameLimit() {
        ProtobufCodec small = ProtobufCodec.create(Limits.DEFAULTS.withMaxFrameBytes(1024));

        assertThat(small.name()).isEqualTo("protobuf");
        assertThat(small.framing()).isEqualTo(Framing.lengthPrefixed(1024));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1969-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z", "1900-02-28T12:00:00.000000001Z",
        "2262-04-11T23:47:16.854775807Z", "+50000-01-01T00:00:00.5Z"})
    void carriesInstantsExactlyToTheNanosecondBeforeAndAfterTheEpoch(String text) {
        Instant at = Instant.parse(text);
        Reply.Posted posted = new Reply.Posted(ID, MessageId.of(1), at);

        assertThat(codec.decode(codec.encode(posted))).isEqualTo(posted);
    }

    @Test
    void keepsTheOffsetOfTheServersClock() {
        Reply.ServerTime time = new Reply.ServerTime(ID, OffsetDateTime.of(1969, 7, 20, 20, 17, 40, 0, ZoneOffset.ofHoursMinutes(-9, -30)));

        Reply.ServerTime decoded = (Reply.ServerTime) codec.decode(codec.encode(time));

        assertThat(decoded).isEqualTo(time);
        assertThat(decoded.time().getOffset()).isEqualTo(ZoneOffset.ofHoursMinutes(-9, -30));
    }

    @Test
    void ignoresCapabilitiesItDoesNotKnowInHelloAndNegotiated() {
        Envelope hello = Envelope.newBuilder().setRequestId("h")
                .setHello(Hello.newBuilder().setClient("future/9")
                        .addCapabilitiesValue(99)
                        .addCapabilities(Capability.CAPABILITY_PUSH)
                        .addCapabilities(Capability.CAPABILITY_UNSPECIFIED))
                .build();
        Envelope negotiated = Envelope.newBuilder().setRequestId("h")
                .setNegotiated(dev.wirelab.codec.protobuf.wire.Negotiated.newBuilder().setVersion(1)
                        .addCapabilitiesValue(42)
                        .addCapabilities(Capability.CAPABILITY_ROOMS))
                .build();

        assertThat(codec.decode(frame(hello)))
                .isEqualTo(new Request.Hello(RequestId.of("h"), "future/9", Set.of(dev.wirelab.protocol.Capability.PUSH)));
        assertThat(codec.decode(frame(negotiated)))
                .isEqualTo(new Reply.Negotiated(RequestId.of("h"), 1, Set.of(dev.wirelab.protocol.Capability.ROOMS), ""));
    }

    @Test
    void writesCapabilitiesInEnumOrderSoTheSameMessageGivesTheSameBytes() throws Exception {
        Request.Hello hello = new Request.Hello(ID, "c", Set.of(dev.wirelab.protocol.Capability.HISTORY_PAGING,
                dev.wirelab.protocol.Capability.PUSH, dev.wirelab.protocol.Capability.PRIVATE_MESSAGES));

        Envelope envelope = Envelope.parseFrom(codec.encode(hello).bytes());

        assertThat(envelope.getHello().getCapabilitiesList()).containsExactly(Capability.CAPABILITY_PUSH,
                Capability.CAPABILITY_PRIVATE_MESSAGES, Capability.CAPABILITY_HISTORY_PAGING);
        assertThat(codec.encode(new Request.Hello(ID, "c", EnumSet.copyOf(hello.capabilities()))))
                .isEqualTo(codec.encode(hello));
    }

    @Test
    void readsAPostWithoutARoomAsAPostToTheDefaultRoom() {
        Envelope post = Envelope.newBuilder().setPost(Post.newBuilder().setText("hi")).build();

        assertThat(codec.decode(frame(post))).isEqualTo(new Request.Post(RequestId.NONE, Request.DEFAULT_ROOM, "hi"));
    }

    @Test
    void readsAnUnsetLimitAsTheConfiguredDefaultPageAndAnUnsetRoomAsTheDefaultRoom() {
        ProtobufCodec pages = ProtobufCodec.create(Limits.DEFAULTS.withHistory(1000, 7, 100));
        Envelope list = Envelope.newBuilder().setListMessages(ListMessages.getDefaultInstance()).build();

        assertThat(pages.decode(frame(list)))
                .isEqualTo(new Request.ListMessages(RequestId.NONE, Request.DEFAULT_ROOM, HistoryCursor.LATEST, 7));
    }

    @Test
    void readsAnExplicitLatestCursorAsLatestAndWritesLatestAsNothing() throws Exception {
        Envelope explicit = Envelope.newBuilder().setRequestId("l")
                .setListMessages(ListMessages.newBuilder().setRoom("golang").setLatest(true).setLimit(5))
                .build();
        Request.ListMessages latest = new Request.ListMessages(RequestId.of("l"), "golang", HistoryCursor.LATEST, 5);

        assertThat(codec.decode(frame(explicit))).isEqualTo(latest);
        assertThat(Envelope.parseFrom(codec.encode(latest).bytes()).getListMessages().getCursorCase())
                .isEqualTo(ListMessages.CursorCase.CURSOR_NOT_SET);
    }

    @Test
    void leavesAHistoryLimitAboveTheMaximumForTheServerToCap() {
        Request.ListMessages huge = new Request.ListMessages(ID, "lobby", HistoryCursor.LATEST, 1_000_000_000);

        assertThat(codec.decode(codec.encode(huge))).isEqualTo(huge);
    }

    @Test
    void ignoresTheRequestIdOfAnEventBecauseEventsAnswerNothing() {
        Event.Presence presence = new Event.Presence("lobby", "Bob", PresenceChange.QUIT, Instant.EPOCH);
        Envelope withId = Envelope.newBuilder(WireEncoder.encode(presence)).setRequestId("stray").build();

        assertThat(codec.decode(frame(withId))).isEqualTo(presence);
    }

    @Test
    void ignoresUnknownFieldsBesideAKnownBody() {
        StoredMessage stored = new StoredMessage(MessageId.of(9), "lobby", "Alice", "hi", Instant.EPOCH);
        byte[] known = codec.encode(new Event.RoomMessage(stored)).bytes();
        // Field 15 (varint 7) appended to the envelope: what a newer peer's extra field looks like.
        byte[] withExtra = Arrays.copyOf(known, known.length + 2);
        withExtra[known.length] = (byte) (15 << 3);
        withExtra[known.length + 1] = 7;

        assertThat(codec.decode(new Frame(withExtra))).isEqualTo(new Event.RoomMessage(stored));
    }
}
