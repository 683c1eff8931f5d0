package dev.wirelab.transport.udp;

/** Why a packet was declared lost (and so why its frames are sent again). */
enum LossCause {
    /** A packet {@code packetThreshold} numbers later was acknowledged (fast retransmit). */
    PACKET_THRESHOLD,
    /** A later packet was acknowledged and this one is older than the time threshold. */
    TIME_THRESHOLD,
    /** The retransmission/probe timer expired. */
    TIMEOUT
}
