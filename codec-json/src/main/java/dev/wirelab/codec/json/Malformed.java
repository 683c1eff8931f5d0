package dev.wirelab.codec.json;

import dev.wirelab.protocol.ErrorCode;

/**
 * The line broke a rule the parser checks itself (depth, one object per line). Checked and
 * package-private: the decoder always turns it into a {@code CodecException}, adding the request id
 * if the parser had read one by then.
 */
final class Malformed extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    Malformed(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }
}
