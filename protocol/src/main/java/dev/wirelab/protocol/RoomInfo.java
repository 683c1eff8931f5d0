package dev.wirelab.protocol;

/**
 * One line of a room list.
 *
 * @param name    the room's name
 * @param members how many users are in it now
 */
public record RoomInfo(String name, int members) {
    public RoomInfo {
        Checks.notEmpty(name, "name");
        if (members < 0) {
            throw new IllegalArgumentException("members must not be negative: " + members);
        }
    }
}
