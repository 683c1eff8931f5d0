package dev.wirelab.lab;

import dev.wirelab.protocol.Codec;
import dev.wirelab.protocol.Limits;
import dev.wirelab.transport.Delivery;
import dev.wirelab.transport.Impairment;
import dev.wirelab.transport.Transport;
import picocli.CommandLine.Option;

/**
 * How one side of the chat reaches the other: transport, codec, UDP's delivery and profile, and the
 * impairment of what this side sends. Shared by {@code server} and {@code client} as a picocli mixin,
 * so both spell and explain the options alike.
 */
final class LinkOptions {

    @Option(names = "--transport", paramLabel = "NAME", defaultValue = "tcp", converter = Converters.Transport.class,
            description = "tcp or udp; client and server must agree. Default: ${DEFAULT-VALUE}.")
    TransportKind transport;

    @Option(names = "--codec", paramLabel = "NAME", defaultValue = "json", converter = Converters.Codec.class,
            description = "json or protobuf; client and server must agree. Default: ${DEFAULT-VALUE}.")
    CodecKind codec;

    @Option(names = "--delivery", paramLabel = "MODE", defaultValue = "reliable-ordered",
            converter = Converters.DeliveryMode.class,
            description = "UDP only: unreliable, sequenced, reliable or reliable-ordered, for everything this side "
                    + "sends (TCP is always reliable-ordered). Default: ${DEFAULT-VALUE}.")
    Delivery delivery;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "quic-like", converter = Converters.Profile.class,
            description = "UDP only: the reliability engine's profile: tcp-like, kcp-default, kcp-nocc, kcp-turbo or "
                    + "quic-like (see docs/reliable-udp-engine.md); use the same on both ends. Default: ${DEFAULT-VALUE}.")
    String profile;

    @Option(names = "--impair", paramLabel = "SPEC", defaultValue = "none", converter = ImpairConverters.Spec.class,
            description = "Impair what this side sends, e.g. \"delay=40ms,loss=1%%\". On udp every knob applies to "
                    + "datagrams; on tcp delay, jitter and rate hold frames back in order, loss stalls them one "
                    + "retransmission timeout, reset drops the connection (see docs/impairments.md). "
                    + "Default: ${DEFAULT-VALUE}.")
    Impairment impair;

    Transport transport(Limits limits) {
        return transport.create(limits, impair, udp());
    }

    Codec codec(Limits limits) {
        return codec.create(limits);
    }

    TransportKind.UdpChoice udp() {
        return new TransportKind.UdpChoice(delivery, profile);
    }

    /** {@code tcp/json}, {@code udp/protobuf}: what the startup lines say. */
    String label() {
        return transport.label() + "/" + codec.label();
    }

    /** What follows the address in a startup line: UDP's choices and the impairment, if any. */
    String details() {
        return (transport == TransportKind.UDP ? " (" + transport.describe(udp()) + ")" : "")
                + (impair.isNone() ? "" : " with impairment " + impair.toSpec());
    }
}
