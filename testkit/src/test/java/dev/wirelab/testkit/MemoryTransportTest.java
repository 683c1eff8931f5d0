package dev.wirelab.testkit;

import dev.wirelab.protocol.Framing;
import dev.wirelab.transport.MemoryTransport;
import dev.wirelab.transport.Transport;
import org.junit.jupiter.api.Nested;

/** The transport contract for {@link MemoryTransport}: no sockets, so a plain unit test. */
class MemoryTransportTest extends TransportContract {

    private final Transport transport = MemoryTransport.create();

    @Override
    protected Transport transport() {
        return transport;
    }

    /** The same cases with the JSON codec's newline framing. */
    @Nested
    class OverLines extends TransportContract {

        private final Transport transport = MemoryTransport.create();

        @Override
        protected Transport transport() {
            return transport;
        }

        @Override
        protected Framing framing() {
            return Framing.lines(64 * 1024);
        }
    }
}
