/**
 * JMH benchmarks of wirelab's pieces, each family beside what a user would otherwise pick:
 * {@link dev.wirelab.benchmarks.CodecBenchmark} (the two codecs against raw Jackson databind and raw
 * protobuf-java), {@link dev.wirelab.benchmarks.FramingBenchmark} (line and length-prefix decoding),
 * {@link dev.wirelab.benchmarks.RoundTripBenchmark} and {@link dev.wirelab.benchmarks.ThroughputBenchmark}
 * (TCP and UDP on loopback; {@code benchmarks/peers.sh} measures sockperf and iperf3 beside them),
 * {@link dev.wirelab.benchmarks.FanOutBenchmark} (one sender, N receivers in a room) and
 * {@link dev.wirelab.benchmarks.EngineBenchmark} (the UDP reliability engine alone, in the simulator).
 *
 * <p>Built into {@code benchmarks/target/benchmarks.jar}; {@code docs/benchmarks.md} says how to run
 * them and what the reference run measured.
 */
package dev.wirelab.benchmarks;
