package dev.wirelab.transport;

/**
 * The guarantee a sender asks for one frame (names from RakNet). TCP gives
 * {@link #RELIABLE_ORDERED} whatever is asked; UDP gives what is asked.
 */
public enum Delivery {
    /** Sent once; may be lost, duplicated or reordered. */
    UNRELIABLE(false, false),
    /** Newest wins: may be lost, and a frame older than one already delivered is dropped. */
    SEQUENCED(false, true),
    /** Every frame arrives once, in any order. */
    RELIABLE(true, false),
    /** Every frame arrives once, in the order sent (per channel). Chat messages use this. */
    RELIABLE_ORDERED(true, true);

    private final boolean reliable;
    private final boolean ordered;

    Delivery(boolean reliable, boolean ordered) {
        this.reliable = reliable;
        this.ordered = ordered;
    }

    /** Whether every frame arrives. */
    public boolean reliable() {
        return reliable;
    }

    /** Whether frames never arrive out of order ({@link #SEQUENCED} drops rather than reorders). */
    public boolean ordered() {
        return ordered;
    }
}
