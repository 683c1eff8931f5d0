/**
 * JMH benchmarks of codecs, framing, transports and the chat. Filled in by the [jmh] issue.
 */
package dev.wirelab.benchmarks;
