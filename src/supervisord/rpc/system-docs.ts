/**
 * Metadata of the system.* methods (spec §8.10): the documentation each method reports through system.methodHelp,
 * the signature system.methodSignature derives from its @param/@return lines, and the number of
 * arguments the Python method accepts (min = required, max = with defaults). Taken verbatim
 * from the real supervisord 4.2.5 (test/unit/rpc-docs.test.ts checks it against the daemon).
 */
import type { MethodDoc } from "./method-doc.js";

export const SYSTEM_METHOD_DOCS: Readonly<Record<string, MethodDoc>> = {
  listMethods: {
    signature: ["array"],
    arity: { min: 0, max: 0 },
    paramNames: [],
    help: " Return an array listing the available method names\n\n        @return array result  An array of method names available (strings).\n        ",
  },
  methodHelp: {
    signature: ["string","string"],
    arity: { min: 1, max: 1 },
    paramNames: ["name"],
    help: " Return a string showing the method's documentation\n\n        @param string name   The name of the method.\n        @return string result The documentation for the method name.\n        ",
  },
  methodSignature: {
    signature: ["array","string"],
    arity: { min: 1, max: 1 },
    paramNames: ["name"],
    help: " Return an array describing the method signature in the\n        form [rtype, ptype, ptype...] where rtype is the return data type\n        of the method, and ptypes are the parameter data types that the\n        method accepts in method argument order.\n\n        @param string name  The name of the method.\n        @return array result  The result.\n        ",
  },
  multicall: {
    signature: ["array","array"],
    arity: { min: 1, max: 1 },
    paramNames: ["calls"],
    help: "Process an array of calls, and return an array of\n        results. Calls should be structs of the form {'methodName':\n        string, 'params': array}. Each result will either be a\n        single-item array containing the result value, or a struct of\n        the form {'faultCode': int, 'faultString': string}. This is\n        useful when you need to make lots of small calls without lots\n        of round trips.\n\n        @param array calls  An array of call requests\n        @return array result  An array of results\n        ",
  },
};
