/**
 * Test support shared by every module: the codec and transport contract tests (written once, run
 * for every implementation), sample messages covering every message type, and await helpers that
 * poll a condition instead of sleeping.
 */
package dev.wirelab.testkit;
