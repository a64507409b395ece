package relay.http;

/** A request the API refuses as malformed (400): carries the error code and a readable message. */
final class BadRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    BadRequest(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
