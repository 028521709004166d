package org.supvisors.rpc;

/**
 * Every failure of an XML-RPC call: a fault answered by the server, or a transport, HTTP or parse
 * error. It stands where Apache's XmlRpcException stood in the Supvisors 0.19 client, with the same
 * meaning for the code (0 when the server did not answer a fault).
 */
public class SupervisorXmlRpcException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The fault code, or 0 when there was no fault. */
    private final int code;

    /** Whether the server answered a fault. */
    private final boolean fault;

    /** The HTTP status of a non-200 answer, else 0. */
    private final int httpStatus;

    private SupervisorXmlRpcException(final int code, final boolean fault, final int httpStatus,
            final String message, final Throwable cause) {
        super(message, cause);
        this.code = code;
        this.fault = fault;
        this.httpStatus = httpStatus;
    }

    /** A fault answered by the server: its faultCode and faultString. */
    public static SupervisorXmlRpcException fault(final int code, final String faultString) {
        return new SupervisorXmlRpcException(code, true, 0, faultString, null);
    }

    /** An HTTP answer other than 200 (e.g. 401 when the credentials are refused). */
    public static SupervisorXmlRpcException http(final int status, final String reason) {
        return new SupervisorXmlRpcException(0, false, status, "HTTP server returned unexpected status: " + status
                + (reason == null || reason.isEmpty() ? "" : " " + reason), null);
    }

    /** The call could not be sent or its answer could not be read. */
    public static SupervisorXmlRpcException transport(final String message, final Throwable cause) {
        return new SupervisorXmlRpcException(0, false, 0, message, cause);
    }

    /** @return the XML-RPC fault code; 0 for a transport, HTTP or parse error. */
    public int getCode() {
        return code;
    }

    /** @return true when the server answered a fault. */
    public boolean isFault() {
        return fault;
    }

    /** @return the HTTP status of a refused call (e.g. 401), 0 otherwise. */
    public int getHttpStatus() {
        return httpStatus;
    }
}
