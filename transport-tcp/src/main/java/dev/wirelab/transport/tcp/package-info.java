/**
 * The TCP transport: blocking sockets on virtual threads, frames cut by the codec's framing,
 * limits enforced by the reader. Filled in by the [tcp-chat] issue.
 */
package dev.wirelab.transport.tcp;
