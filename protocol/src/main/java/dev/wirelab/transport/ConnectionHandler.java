package dev.wirelab.transport;

/**
 * Serves one accepted connection. Called once per peer, on that peer's own virtual thread, so it
 * may block for as long as the conversation lasts. The transport closes the connection when the
 * handler returns or throws; a thrown exception is logged, never propagated to other peers.
 * Letting a {@link ConnectionClosedException} escape is the normal way to stop when the peer leaves.
 */
@FunctionalInterface
public interface ConnectionHandler {

    void serve(Connection connection) throws Exception;
}
