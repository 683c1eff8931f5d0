/**
 * The chat: a pure state machine and the server and client shells over any transport and codec.
 * Filled in by the [tcp-chat] issue.
 */
package dev.wirelab.chat;
