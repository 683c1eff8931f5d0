package dev.wirelab.codec.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.wirelab.codec.protobuf.wire.ChatProto;
import dev.wirelab.codec.protobuf.wire.Envelope;
import dev.wirelab.protocol.Capability;
import dev.wirelab.protocol.ChatMessage;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.PresenceChange;
import dev.wirelab.testkit.SampleMessages;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code chat.proto} stays in step with the Java model: every enum constant has a wire value and
 * back, every record has exactly one body field, and no published field number or type changes.
 */
@Timeout(30)
class WireContractTest {

    /**
     * The published wire contract: {@code Type field=number:type ...}, and {@code Enum NAME=number ...}.
     * A peer built from an older chat.proto relies on every entry, so entries may be added but never
     * changed or removed (a field no longer used is marked {@code reserved} in the proto instead).
     */
    private static final String PUBLISHED = """
            Envelope request_id=1:string hello=10:Hello register=11:Register login=12:Login post=13:Post
            Envelope post_private=14:PostPrivate join=15:Join leave=16:Leave list_users=17:ListUsers
            Envelope list_rooms=18:ListRooms list_messages=19:ListMessages echo=20:Echo time=21:Time
            Envelope ping=22:Ping quit=23:Quit info=40:Info negotiated=41:Negotiated
            Envelope registered=42:Registered logged_in=43:LoggedIn posted=44:Posted
            Envelope sent_private=45:SentPrivate joined=46:Joined left=47:Left users=48:Users rooms=49:Rooms
            Envelope history=50:History echoed=51:Echoed server_time=52:ServerTime pong=53:Pong
            Envelope goodbye=54:Goodbye failed=55:Failed room_message=70:RoomMessage
            Envelope private_message=71:PrivateMessage presence=72:Presence closing=73:Closing
            Timestamp epoch_millis=1:int64 nanos_of_milli=2:int32
            StoredMessage message_id=1:int64 room=2:string from=3:string text=4:string at=5:Timestamp
            Hello client=1:string capabilities=2:Capability[]
            Register name=1:string password=2:string
            Login name=1:string password=2:string
            Post room=1:string text=2:string
            PostPrivate to=1:string text=2:string
            Join room=1:string
            Leave room=1:string
            ListMessages room=1:string latest=2:bool before=3:int64 after=4:int64 limit=5:int32
            Echo text=1:string
            Ping token=1:string
            Info text=1:string data=2:string
            Negotiated version=1:int32 capabilities=2:Capability[] server=3:string
            Registered name=1:string
            LoggedIn name=1:string
            Posted message_id=1:int64 at=2:Timestamp
            SentPrivate message_id=1:int64 to=2:string at=3:Timestamp
            Joined room=1:string members=2:string[]
            Left room=1:string
            Users names=1:string[]
            RoomInfo name=1:string members=2:int32
            Rooms rooms=1:RoomInfo[]
            History room=1:string messages=2:StoredMessage[] complete=3:bool
            Echoed text=1:string
            ServerTime epoch_seconds=1:int64 offset_seconds=2:int32
            Pong token=1:string
            Failed code=1:ErrorCode message=2:string
            RoomMessage message=1:StoredMessage
            PrivateMessage message_id=1:int64 from=2:string to=3:string text=4:string at=5:Timestamp
            Presence room=1:string user=2:string change=3:PresenceChange at=4:Timestamp
            Closing reason=1:ErrorCode text=2:string
            Capability CAPABILITY_UNSPECIFIED=0 CAPABILITY_PUSH=1 CAPABILITY_ROOMS=2
            Capability CAPABILITY_PRIVATE_MESSAGES=3 CAPABILITY_HISTORY_PAGING=4
            ErrorCode ERROR_CODE_UNSET=0 INVALID_MESSAGE=1 INVALID_UTF8=2 TOO_DEEP=3 INVALID_PARAMS=4
            ErrorCode UNKNOWN_COMMAND=5 MISSING_DATA=6 NOT_REGISTERED=7 ALREADY_REGISTERED=8 NAME_TAKEN=9
            ErrorCode INVALID_NAME=10 AUTH_FAILED=11 MESSAGE_TOO_LONG=12 FRAME_TOO_LARGE=13 RATE_LIMITED=14
            ErrorCode TRY_AGAIN=15 UNKNOWN_ROOM=16 UNKNOWN_USER=17 NOT_IN_ROOM=18 UNKNOWN_MESSAGE_ID=19
            ErrorCode FORBIDDEN=20 SENDQ_EXCEEDED=21 IDLE_TIMEOUT=22 REGISTRATION_TIMEOUT=23
            ErrorCode SERVER_SHUTTING_DOWN=24 INTERNAL_ERROR=25 UNSPECIFIED=26
            PresenceChange PRESENCE_CHANGE_UNSET=0 JOINED=1 LEFT=2 QUIT=3 DISCONNECTED=4
            """;

    // --- Enums -----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyErrorCodeHasAProtobufValueOfTheSameNameAndBack(ErrorCode code) {
        dev.wirelab.codec.protobuf.wire.ErrorCode wire = WireEnums.toWire(code);

        assertThat(wire.name()).isEqualTo(code.name());
        assertThat(WireEnums.fromWire(wire)).contains(code);
    }

    @ParameterizedTest
    @EnumSource(value = dev.wirelab.codec.protobuf.wire.ErrorCode.class, names = {"ERROR_CODE_UNSET", "UNRECOGNIZED"},
            mode = EnumSource.Mode.EXCLUDE)
    void everyProtobufErrorCodeButTheUnsetOneIsAJavaErrorCode(dev.wirelab.codec.protobuf.wire.ErrorCode wire) {
        assertThat(WireEnums.fromWire(wire)).map(Enum::name).contains(wire.name());
    }

    @ParameterizedTest
    @EnumSource(PresenceChange.class)
    void everyPresenceChangeHasAProtobufValueOfTheSameNameAndBack(PresenceChange change) {
        dev.wirelab.codec.protobuf.wire.PresenceChange wire = WireEnums.toWire(change);

        assertThat(wire.name()).isEqualTo(change.name());
        assertThat(WireEnums.fromWire(wire)).contains(change);
    }

    @ParameterizedTest
    @EnumSource(value = dev.wirelab.codec.protobuf.wire.PresenceChange.class, names = {"PRESENCE_CHANGE_UNSET", "UNRECOGNIZED"},
            mode = EnumSource.Mode.EXCLUDE)
    void everyProtobufPresenceChangeButTheUnsetOneIsAJavaPresenceChange(dev.wirelab.codec.protobuf.wire.PresenceChange wire) {
        assertThat(WireEnums.fromWire(wire)).map(Enum::name).contains(wire.name());
    }

    @ParameterizedTest
    @EnumSource(Capability.class)
    void everyCapabilityHasAPrefixedProtobufValueAndBack(Capability capability) {
        dev.wirelab.codec.protobuf.wire.Capability wire = WireEnums.toWire(capability);

        assertThat(wire.name()).isEqualTo("CAPABILITY_" + capability.name());
        assertThat(WireEnums.fromWire(wire)).contains(capability);
    }

    @ParameterizedTest
    @EnumSource(value = dev.wirelab.codec.protobuf.wire.Capability.class, names = {"CAPABILITY_UNSPECIFIED", "UNRECOGNIZED"},
            mode = EnumSource.Mode.EXCLUDE)
    void everyProtobufCapabilityButTheUnsetOneIsAJavaCapability(dev.wirelab.codec.protobuf.wire.Capability wire) {
        assertThat(WireEnums.fromWire(wire)).map(c -> "CAPABILITY_" + c.name()).contains(wire.name());
    }

    @Test
    void theZeroOfEveryProtobufEnumMeansNotSet() {
        assertThat(WireEnums.fromWire(dev.wirelab.codec.protobuf.wire.ErrorCode.forNumber(0))).isEmpty();
        assertThat(WireEnums.fromWire(dev.wirelab.codec.protobuf.wire.PresenceChange.forNumber(0))).isEmpty();
        assertThat(WireEnums.fromWire(dev.wirelab.codec.protobuf.wire.Capability.forNumber(0))).isEmpty();
    }

    // --- One body per record ---------------------------------------------------------------------

    @Test
    void everyRecordTypeHasItsOwnBodyFieldAndEveryBodyFieldARecordType() {
        Map<Class<?>, Set<Envelope.BodyCase>> bodies = new TreeMap<>((a, b) -> a.getName().compareTo(b.getName()));
        for (ChatMessage sample : SampleMessages.all()) {
            bodies.computeIfAbsent(sample.getClass(), type -> new LinkedHashSet<>())
                    .add(WireEncoder.encode(sample).getBodyCase());
        }
        Set<Envelope.BodyCase> allBodies = EnumSet.allOf(Envelope.BodyCase.class);
        allBodies.remove(Envelope.BodyCase.BODY_NOT_SET);

        assertThat(bodies.keySet()).containsExactlyInAnyOrderElementsOf(SampleMessages.recordTypes());
        assertThat(bodies.values()).allSatisfy(cases -> assertThat(cases).hasSize(1));
        assertThat(bodies.values().stream().flatMap(Set::stream).toList())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(allBodies);
    }

    // --- Field numbers ---------------------------------------------------------------------------

    @Test
    void noPublishedFieldNumberOrTypeEverChanges() {
        Set<String> published = PUBLISHED.lines()
                .flatMap(line -> {
                    String[] words = line.trim().split(" ");
                    return Arrays.stream(words, 1, words.length).map(entry -> words[0] + "." + entry);
                })
                .collect(Collectors.toCollection(LinkedHashSet::new));

        Set<String> missing = new LinkedHashSet<>(published);
        missing.removeAll(current());

        assertThat(missing).as("published entries changed or removed in chat.proto").isEmpty();
    }

    /** The same notation, read from the descriptors compiled from today's chat.proto. */
    private static Set<String> current() {
        Set<String> entries = new LinkedHashSet<>();
        for (Descriptor message : ChatProto.getDescriptor().getMessageTypes()) {
            for (FieldDescriptor field : message.getFields()) {
                String type = switch (field.getJavaType()) {
                    case MESSAGE -> field.getMessageType().getName();
                    case ENUM -> field.getEnumType().getName();
                    default -> field.getType().name().toLowerCase(Locale.ROOT);
                };
                entries.add(message.getName() + "." + field.getName() + "=" + field.getNumber() + ":" + type
                        + (field.isRepeated() ? "[]" : ""));
            }
        }
        for (EnumDescriptor enumType : ChatProto.getDescriptor().getEnumTypes()) {
            for (EnumValueDescriptor value : enumType.getValues()) {
                entries.add(enumType.getName() + "." + value.getName() + "=" + value.getNumber());
            }
        }
        return entries;
    }
}
