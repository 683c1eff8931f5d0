/**
 * The transport contract: how whole frames move between two endpoints, and what each transport
 * promises about them.
 *
 * <p>A {@link dev.wirelab.transport.Transport} listens or connects and yields
 * {@link dev.wirelab.transport.Connection}s. A connection moves {@link dev.wirelab.protocol.Frame}s,
 * never bytes or messages, and says which {@link dev.wirelab.transport.Guarantees} it really gives
 * for each {@link dev.wirelab.transport.Delivery} asked of it. Sockets live only in implementations
 * of this package ({@code transport-tcp}, {@code transport-udp}); {@link
 * dev.wirelab.transport.MemoryTransport} moves frames inside one JVM, for tests and as the
 * "no network" baseline.
 *
 * <p>Threads: every connection is served by blocking calls on virtual threads. {@code send} is
 * thread-safe; {@code receive} has one reader at a time.
 */
package dev.wirelab.transport;
