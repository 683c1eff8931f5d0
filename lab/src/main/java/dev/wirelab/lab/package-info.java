/**
 * The runnable {@code wirelab} program: server, client, compare, impair and report.
 * Filled in by the [tcp-chat] and [compare] issues.
 */
package dev.wirelab.lab;
