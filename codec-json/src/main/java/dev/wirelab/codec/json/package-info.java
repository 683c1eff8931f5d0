/**
 * The JSON-lines codec: the seed's request and reply shapes byte for byte, plus wirelab's
 * extensions, parsed one line at a time with hard limits.
 */
package dev.wirelab.codec.json;
