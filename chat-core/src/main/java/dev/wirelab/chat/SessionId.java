package dev.wirelab.chat;

/** Names one connection's session inside a server; never reused while the server runs. */
record SessionId(long value) {
    @Override
    public String toString() {
        return "s" + value;
    }
}
