package org.supvisors.rpc;

/** One way to carry an XML-RPC request to the server: TCP or a unix socket. */
interface Transport {

    /**
     * POSTs a request body to /RPC2.
     *
     * @return the body of a 200 answer.
     * @throws SupervisorXmlRpcException with the HTTP status for any other answer, or for an I/O error.
     */
    byte[] post(byte[] body) throws SupervisorXmlRpcException;
}
