package dev.wirelab.codec.protobuf;

import dev.wirelab.codec.protobuf.wire.Closing;
import dev.wirelab.codec.protobuf.wire.Echo;
import dev.wirelab.codec.protobuf.wire.Echoed;
import dev.wirelab.codec.protobuf.wire.Envelope;
import dev.wirelab.codec.protobuf.wire.Failed;
import dev.wirelab.codec.protobuf.wire.Goodbye;
import dev.wirelab.codec.protobuf.wire.Hello;
import dev.wirelab.codec.protobuf.wire.History;
import dev.wirelab.codec.protobuf.wire.Info;
import dev.wirelab.codec.protobuf.wire.Join;
import dev.wirelab.codec.protobuf.wire.Joined;
import dev.wirelab.codec.protobuf.wire.Leave;
import dev.wirelab.codec.protobuf.wire.Left;
import dev.wirelab.codec.protobuf.wire.ListMessages;
import dev.wirelab.codec.protobuf.wire.ListRooms;
import dev.wirelab.codec.protobuf.wire.ListUsers;
import dev.wirelab.codec.protobuf.wire.LoggedIn;
import dev.wirelab.codec.protobuf.wire.Login;
import dev.wirelab.codec.protobuf.wire.Negotiated;
import dev.wirelab.codec.protobuf.wire.Ping;
import dev.wirelab.codec.protobuf.wire.Pong;
import dev.wirelab.codec.protobuf.wire.Post;
import dev.wirelab.codec.protobuf.wire.PostPrivate;
import dev.wirelab.codec.protobuf.wire.Posted;
import dev.wirelab.codec.protobuf.wire.Presence;
import dev.wirelab.codec.protobuf.wire.PrivateMessage;
import dev.wirelab.codec.protobuf.wire.Quit;
import dev.wirelab.codec.protobuf.wire.Register;
import dev.wirelab.codec.protobuf.wire.Registered;
import dev.wirelab.codec.protobuf.wire.RoomInfo;
import dev.wirelab.codec.protobuf.wire.RoomMessage;
import dev.wirelab.codec.protobuf.wire.Rooms;
import dev.wirelab.codec.protobuf.wire.SentPrivate;
import dev.wirelab.codec.protobuf.wire.ServerTime;
import dev.wirelab.codec.protobuf.wire.StoredMessage;
import dev.wirelab.codec.protobuf.wire.Time;
import dev.wirelab.codec.protobuf.wire.Timestamp;
import dev.wirelab.codec.protobuf.wire.Users;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.Event;
import dev.wirelab.protocol.HistoryCursor;
import dev.wirelab.protocol.Reply;
import dev.wirelab.protocol.Request;
import dev.wirelab.protocol.RequestId;
import java.time.Instant;

/**
 * Records to envelopes. Every switch is over a sealed type and has no {@code default}, so a new
 * message record does not compile until it has a place in {@code chat.proto}.
 *
 * <p>Fields holding their proto3 default (empty text, a {@link RequestId#NONE}, a LATEST cursor)
 * cost nothing on the wire; that is how proto3 spells "absent".
 */
final class WireEncoder {

    private static final long MILLIS_PER_SECOND = 1_000L;
    private static final int NANOS_PER_MILLI = 1_000_000;

    private WireEncoder() {
    }

    /**
     * @throws CodecException INVALID_PARAMS for an instant beyond the {@code int64} milliseconds a
     *                        Timestamp holds (some 292 million years either side of 1970)
     */
    static Envelope encode(ChatMessage message) {
        try {
            return switch (message) {
                case Request request -> request(request);
                case Reply reply -> reply(reply);
                case Event event -> event(event);
            };
        } catch (ArithmeticException e) {
            RequestId id = switch (message) {
                case Request request -> request.id();
                case Reply reply -> reply.id();
                case Event event -> RequestId.NONE;
            };
            throw new CodecException(ErrorCode.INVALID_PARAMS,
                    "Validation error: a time cannot be expressed as a protobuf Timestamp", id, e);
        }
    }

    private static Envelope request(Request request) {
        Envelope.Builder envelope = Envelope.newBuilder().setRequestId(request.id().value());
        switch (request) {
            case Request.Hello m -> envelope.setHello(Hello.newBuilder()
                    .setClient(m.client())
                    .addAllCapabilities(WireEnums.toWire(m.capabilities())));
            case Request.Register m -> envelope.setRegister(Register.newBuilder()
                    .setName(m.name())
                    .setPassword(m.password().value()));
            case Request.Login m -> envelope.setLogin(Login.newBuilder()
                    .setName(m.name())
                    .setPassword(m.password().value()));
            case Request.Post m -> envelope.setPost(Post.newBuilder()
                    .setRoom(m.room())
                    .setText(m.text()));
            case Request.PostPrivate m -> envelope.setPostPrivate(PostPrivate.newBuilder()
                    .setTo(m.to())
                    .setText(m.text()));
            case Request.Join m -> envelope.setJoin(Join.newBuilder().setRoom(m.room()));
            case Request.Leave m -> envelope.setLeave(Leave.newBuilder().setRoom(m.room()));
            case Request.ListUsers m -> envelope.setListUsers(ListUsers.getDefaultInstance());
            case Request.ListRooms m -> envelope.setListRooms(ListRooms.getDefaultInstance());
            case Request.ListMessages m -> envelope.setListMessages(listMessages(m));
            case Request.Echo m -> envelope.setEcho(Echo.newBuilder().setText(m.text()));
            case Request.Time m -> envelope.setTime(Time.getDefaultInstance());
            case Request.Ping m -> envelope.setPing(Ping.newBuilder().setToken(m.token()));
            case Request.Quit m -> envelope.setQuit(Quit.getDefaultInstance());
        }
        return envelope.build();
    }

    private static ListMessages listMessages(Request.ListMessages m) {
        ListMessages.Builder list = ListMessages.newBuilder().setRoom(m.room()).setLimit(m.limit());
        switch (m.cursor()) {
            case HistoryCursor.Latest latest -> {
                // Unset means LATEST: the commonest page costs no bytes.
            }
            case HistoryCursor.Before before -> list.setBefore(before.id().value());
            case HistoryCursor.After after -> list.setAfter(after.id().value());
        }
        return list.build();
    }

    private static Envelope reply(Reply reply) {
        Envelope.Builder envelope = Envelope.newBuilder().setRequestId(reply.id().value());
        switch (reply) {
            case Reply.Info m -> envelope.setInfo(Info.newBuilder().setText(m.text()).setData(m.data()));
            case Reply.Negotiated m -> envelope.setNegotiated(Negotiated.newBuilder()
                    .setVersion(m.version())
                    .addAllCapabilities(WireEnums.toWire(m.capabilities()))
                    .setServer(m.server()));
            case Reply.Registered m -> envelope.setRegistered(Registered.newBuilder().setName(m.name()));
            case Reply.LoggedIn m -> envelope.setLoggedIn(LoggedIn.newBuilder().setName(m.name()));
            case Reply.Posted m -> envelope.setPosted(Posted.newBuilder()
                    .setMessageId(m.messageId().value())
                    .setAt(timestamp(m.at())));
            case Reply.SentPrivate m -> envelope.setSentPrivate(SentPrivate.newBuilder()
                    .setMessageId(m.messageId().value())
                    .setTo(m.to())
                    .setAt(timestamp(m.at())));
            case Reply.Joined m -> envelope.setJoined(Joined.newBuilder()
                    .setRoom(m.room())
                    .addAllMembers(m.members()));
            case Reply.Left m -> envelope.setLeft(Left.newBuilder().setRoom(m.room()));
            case Reply.Users m -> envelope.setUsers(Users.newBuilder().addAllNames(m.names()));
            case Reply.Rooms m -> {
                Rooms.Builder rooms = Rooms.newBuilder();
                for (dev.wirelab.protocol.RoomInfo room : m.rooms()) {
                    rooms.addRooms(RoomInfo.newBuilder().setName(room.name()).setMembers(room.members()));
                }
                envelope.setRooms(rooms);
            }
            case Reply.History m -> {
                History.Builder history = History.newBuilder().setRoom(m.room()).setComplete(m.complete());
                for (dev.wirelab.protocol.StoredMessage stored : m.messages()) {
                    history.addMessages(stored(stored));
                }
                envelope.setHistory(history);
            }
            case Reply.Echoed m -> envelope.setEchoed(Echoed.newBuilder().setText(m.text()));
            case Reply.ServerTime m -> envelope.setServerTime(ServerTime.newBuilder()
                    .setEpochSeconds(m.time().toEpochSecond())
                    .setOffsetSeconds(m.time().getOffset().getTotalSeconds()));
            case Reply.Pong m -> envelope.setPong(Pong.newBuilder().setToken(m.token()));
            case Reply.Goodbye m -> envelope.setGoodbye(Goodbye.getDefaultInstance());
            case Reply.Failed m -> envelope.setFailed(Failed.newBuilder()
                    .setCode(WireEnums.toWire(m.code()))
                    .setMessage(m.message()));
        }
        return envelope.build();
    }

    private static Envelope event(Event event) {
        // Events answer no request, so the envelope's request_id stays empty.
        Envelope.Builder envelope = Envelope.newBuilder();
        switch (event) {
            case Event.RoomMessage m -> envelope.setRoomMessage(RoomMessage.newBuilder()
                    .setMessage(stored(m.message())));
            case Event.PrivateMessage m -> envelope.setPrivateMessage(PrivateMessage.newBuilder()
                    .setMessageId(m.id().value())
                    .setFrom(m.from())
                    .setTo(m.to())
                    .setText(m.text())
                    .setAt(timestamp(m.at())));
            case Event.Presence m -> envelope.setPresence(Presence.newBuilder()
                    .setRoom(m.room())
                    .setUser(m.user())
                    .setChange(WireEnums.toWire(m.change()))
                    .setAt(timestamp(m.at())));
            case Event.Closing m -> envelope.setClosing(Closing.newBuilder()
                    .setReason(WireEnums.toWire(m.reason()))
                    .setText(m.text()));
        }
        return envelope.build();
    }

    private static StoredMessage stored(dev.wirelab.protocol.StoredMessage stored) {
        return StoredMessage.newBuilder()
                .setMessageId(stored.id().value())
                .setRoom(stored.room())
                .setFrom(stored.from())
                .setText(stored.text())
                .setAt(timestamp(stored.at()))
                .build();
    }

    /**
     * Milliseconds since the epoch plus the nanoseconds within that millisecond. Instant's nanos are
     * never negative, so an instant before 1970 gets negative millis and non-negative nanos, and
     * the pair is exact in both directions.
     *
     * @throws ArithmeticException if the milliseconds overflow an {@code int64}
     */
    static Timestamp timestamp(Instant at) {
        long millis = Math.addExact(Math.multiplyExact(at.getEpochSecond(), MILLIS_PER_SECOND),
                at.getNano() / NANOS_PER_MILLI);
        return Timestamp.newBuilder()
                .setEpochMillis(millis)
                .setNanosOfMilli(at.getNano() % NANOS_PER_MILLI)
                .build();
    }
}
