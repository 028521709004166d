package org.supvisors.rpc;

import java.util.HashMap;
import java.util.List;
import org.supvisors.common.DataConversion;

/** The system.* introspection and multicall methods of a supervisord server. */
public class SystemXmlRpc {

    private static final String NAMESPACE = "system.";

    private final SupervisorXmlRpcClient client;

    public SystemXmlRpc(final SupervisorXmlRpcClient client) {
        this.client = client;
    }

    /** @return the names of every method the server offers. */
    public List<String> listMethods() throws SupervisorXmlRpcException {
        final Object[] names = client.rpcCall(NAMESPACE + "listMethods", null, Object[].class);
        return DataConversion.arrayToStringList(names);
    }

    /** @return the documentation of the method. */
    public String methodHelp(final String methodName) throws SupervisorXmlRpcException {
        return client.rpcCall(NAMESPACE + "methodHelp", new Object[]{methodName}, String.class);
    }

    /** @return the XML-RPC types of the method: its result type first, then its parameters'. */
    public List<String> methodSignature(final String methodName) throws SupervisorXmlRpcException {
        final Object[] types = client.rpcCall(NAMESPACE + "methodSignature", new Object[]{methodName}, Object[].class);
        return DataConversion.arrayToStringList(types);
    }

    /**
     * Runs several calls in one request.
     *
     * @param arrayCalls the calls, each built by createCall.
     * @return one item per call: its result, or a {faultCode, faultString} HashMap when it failed.
     */
    public Object[] multicall(final Object[] arrayCalls) throws SupervisorXmlRpcException {
        return client.rpcCall(NAMESPACE + "multicall", new Object[]{arrayCalls}, Object[].class);
    }

    /** @return the {methodName, params} struct of one multicall item (no params when args is null). */
    public static HashMap createCall(final String methodName, final Object[] args) {
        final HashMap<String, Object> call = new HashMap<>();
        call.put("methodName", methodName);
        if (args != null) {
            call.put("params", args);
        }
        return call;
    }
}
