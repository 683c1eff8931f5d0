/**
 * The runnable {@code wirelab} program ({@link dev.wirelab.lab.Wirelab}): {@code server} runs a chat
 * server on a chosen transport and codec; {@code client} chats from a terminal (JLine) or runs a
 * script of commands from stdin, printing one line per reply and event. Everything here but the
 * entry point is package-private. The comparison harness ({@code compare}, {@code impair},
 * {@code report}) will join it.
 */
package dev.wirelab.lab;
