package dev.wirelab.codec.protobuf;

import dev.wirelab.codec.protobuf.wire.Capability;
import dev.wirelab.protocol.CodecException;
import dev.wirelab.protocol.ErrorCode;
import dev.wirelab.protocol.PresenceChange;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps the Java enums to the enums of {@code chat.proto} and back.
 *
 * <p>{@link ErrorCode} and {@link PresenceChange} are mapped by name: the proto enums use the Java
 * names (plus a zero "unset" value, since proto3 needs one), so adding a Java constant only needs a
 * proto value of the same name with the next free number. {@code WireContractTest} fails when the
 * two drift apart. {@link dev.wirelab.protocol.Capability} is mapped by an exhaustive switch
 * instead, because its proto values carry the {@code CAPABILITY_} prefix.
 */
final class WireEnums {

    private static final Map<ErrorCode, dev.wirelab.codec.protobuf.wire.ErrorCode> ERROR_TO_WIRE =
            byName(ErrorCode.class, dev.wirelab.codec.protobuf.wire.ErrorCode.class);
    private static final Map<dev.wirelab.codec.protobuf.wire.ErrorCode, ErrorCode> ERROR_FROM_WIRE =
            byName(dev.wirelab.codec.protobuf.wire.ErrorCode.class, ErrorCode.class);
    private static final Map<PresenceChange, dev.wirelab.codec.protobuf.wire.PresenceChange> PRESENCE_TO_WIRE =
            byName(PresenceChange.class, dev.wirelab.codec.protobuf.wire.PresenceChange.class);
    private static final Map<dev.wirelab.codec.protobuf.wire.PresenceChange, PresenceChange> PRESENCE_FROM_WIRE =
            byName(dev.wirelab.codec.protobuf.wire.PresenceChange.class, PresenceChange.class);

    private WireEnums() {
    }

    static dev.wirelab.codec.protobuf.wire.ErrorCode toWire(ErrorCode code) {
        return mapped(ERROR_TO_WIRE, code);
    }

    /** The Java code, or empty for the unset value and for numbers this build does not know. */
    static Optional<ErrorCode> fromWire(dev.wirelab.codec.protobuf.wire.ErrorCode code) {
        return Optional.ofNullable(ERROR_FROM_WIRE.get(code));
    }

    static dev.wirelab.codec.protobuf.wire.PresenceChange toWire(PresenceChange change) {
        return mapped(PRESENCE_TO_WIRE, change);
    }

    /** The Java change, or empty for the unset value and for numbers this build does not know. */
    static Optional<PresenceChange> fromWire(dev.wirelab.codec.protobuf.wire.PresenceChange change) {
        return Optional.ofNullable(PRESENCE_FROM_WIRE.get(change));
    }

    static Capability toWire(dev.wirelab.protocol.Capability capability) {
        return switch (capability) {
            case PUSH -> Capability.CAPABILITY_PUSH;
            case ROOMS -> Capability.CAPABILITY_ROOMS;
            case PRIVATE_MESSAGES -> Capability.CAPABILITY_PRIVATE_MESSAGES;
            case HISTORY_PAGING -> Capability.CAPABILITY_HISTORY_PAGING;
        };
    }

    /** The Java capability, or empty for the unset value and for numbers this build does not know. */
    static Optional<dev.wirelab.protocol.Capability> fromWire(Capability capability) {
        return switch (capability) {
            case CAPABILITY_PUSH -> Optional.of(dev.wirelab.protocol.Capability.PUSH);
            case CAPABILITY_ROOMS -> Optional.of(dev.wirelab.protocol.Capability.ROOMS);
            case CAPABILITY_PRIVATE_MESSAGES -> Optional.of(dev.wirelab.protocol.Capability.PRIVATE_MESSAGES);
            case CAPABILITY_HISTORY_PAGING -> Optional.of(dev.wirelab.protocol.Capability.HISTORY_PAGING);
            case CAPABILITY_UNSPECIFIED, UNRECOGNIZED -> Optional.empty();
        };
    }

    /**
     * The capabilities in enum order: a {@code Set.copyOf} iterates in an order that changes from
     * one JVM run to the next, and the same message should always give the same bytes.
     */
    static List<Capability> toWire(Set<dev.wirelab.protocol.Capability> capabilities) {
        EnumSet<dev.wirelab.protocol.Capability> ordered = EnumSet.noneOf(dev.wirelab.protocol.Capability.class);
        ordered.addAll(capabilities);
        return ordered.stream().map(WireEnums::toWire).toList();
    }

    /** Values a newer peer may know and this build does not are skipped: a capability is only an offer. */
    static Set<dev.wirelab.protocol.Capability> fromWire(Collection<Capability> capabilities) {
        EnumSet<dev.wirelab.protocol.Capability> known = EnumSet.noneOf(dev.wirelab.protocol.Capability.class);
        for (Capability capability : capabilities) {
            fromWire(capability).ifPresent(known::add);
        }
        return known;
    }

    private static <A extends Enum<A>, B extends Enum<B>> B mapped(Map<A, B> map, A value) {
        B mapped = map.get(value);
        if (mapped == null) {
            // Only a build where chat.proto fell behind the Java enum gets here; WireContractTest catches it.
            throw new CodecException(ErrorCode.INTERNAL_ERROR,
                    value.getDeclaringClass().getSimpleName() + "." + value.name() + " has no value in chat.proto");
        }
        return mapped;
    }

    private static <A extends Enum<A>, B extends Enum<B>> Map<A, B> byName(Class<A> from, Class<B> to) {
        Map<A, B> map = new EnumMap<>(from);
        for (A a : from.getEnumConstants()) {
            for (B b : to.getEnumConstants()) {
                if (a.name().equals(b.name())) {
                    map.put(a, b);
                }
            }
        }
        return map;
    }
}
