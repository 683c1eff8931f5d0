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

    /**
     * What every transport does with an accepted peer, on the peer's own thread: runs
     * {@code handler}, closes the connection afterwards and logs how it ended. Never throws: one
     * peer's failure stays its own.
     */
    static void serveThenClose(ConnectionHandler handler, Connection connection, System.Logger log) {
        try (connection) {
            handler.serve(connection);
        } catch (ConnectionClosedException e) {
            // A handler letting the end of its connection escape is the normal way to stop for a peer
            // that left; worth a line only when the peer vanished or misbehaved.
            boolean normal = e.reason() == CloseReason.PEER_CLOSED || e.reason() == CloseReason.LOCAL_CLOSE;
            log.log(normal ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                    "{0} ended ({1}): {2}", connection, e.reason(), e.getMessage());
        } catch (Exception | Error e) {
            log.log(System.Logger.Level.WARNING, "handler for " + connection + " failed", e);
        }
    }
}
