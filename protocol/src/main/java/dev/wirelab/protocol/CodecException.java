package dev.wirelab.protocol;

import java.util.Objects;

/**
 * A frame could not be decoded (or a message could not be encoded). It says why with an
 * {@link ErrorCode} and carries the request id when the codec got far enough to read it, so the
 * server can answer the right request. The decoder that threw is ready for the next frame.
 */
public final class CodecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient RequestId requestId;

    public CodecException(ErrorCode code, String message) {
        this(code, message, RequestId.NONE, null);
    }

    public CodecException(ErrorCode code, String message, RequestId requestId) {
        this(code, message, requestId, null);
    }

    public CodecException(ErrorCode code, String message, RequestId requestId, Throwable cause) {
        // No stack trace: a bad frame is an expected outcome, and hostile input must stay cheap.
        super(message, cause, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.requestId = Objects.requireNonNull(requestId, "requestId");
    }

    public ErrorCode code() {
        return code;
    }

    /** The id of the request that failed to decode, or {@link RequestId#NONE} if it could not be read. */
    public RequestId requestId() {
        return requestId == null ? RequestId.NONE : requestId;
    }
}
