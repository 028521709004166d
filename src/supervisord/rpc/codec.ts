/** The XML-RPC codec: one import for values, encoders and decoders. */
export { RpcDouble, type RpcValue, type RpcStruct, isRpcStruct, INT32_MIN, INT32_MAX } from "./values.js";
export {
  encodeMethodCall,
  encodeMethodCallBytes,
  encodeResponse,
  encodeResponseBytes,
  encodeFault,
  encodeValue,
  escapeXmlText,
  formatIso8601,
  XmlRpcEncodeError,
} from "./encode.js";
export {
  decodeMethodCall,
  decodeMethodResponse,
  XmlRpcParseError,
  DEFAULT_DECODE_LIMITS,
  type XmlRpcParseReason,
  type DecodeLimits,
  type MethodCall,
  type MethodResponse,
  type ResponseDecodeOptions,
} from "./decode.js";
export { pythonFloatRepr } from "./python-float.js";
