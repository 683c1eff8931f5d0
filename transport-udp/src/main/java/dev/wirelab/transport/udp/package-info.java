/**
 * The UDP transport: delivery modes over a reliability engine, handshake, fragmentation.
 * Filled in by the [udp] issue.
 */
package dev.wirelab.transport.udp;
