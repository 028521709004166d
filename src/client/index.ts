/**
 * The TypeScript client of supervisord-ts (package entry `supervisord-ts/client`): typed
 * XML-RPC clients of supervisord (`system.*`, `supervisor.*`) and Supvisors (`supvisors.*`), and
 * the Supvisors websocket event interface. It talks over the wire only: it imports the protocol
 * constants and the XML-RPC codec, nothing of the daemon.
 */
export { SupervisorClient, SupervisorNamespace, SystemNamespace, type GroupNamespec, type Invoke } from "./supervisor-client.js";
export { SupvisorsClient, SupvisorsNamespace, type SubscribeOptions } from "./supvisors-client.js";
export { SupvisorsEventStream, EventStreamClosedError, type EventStreamOptions, type StreamEventMap, type StreamState } from "./events.js";
export { EventFrameError, parseEventFrame, subscriptionPath } from "./event-frame.js";
export { backoffDelay, backoffOptions, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.js";
export { RpcFaultError, RpcTransportError, isFaultStruct, type FaultStruct, type KnownFaultName, type TransportFailure } from "./errors.js";
export { parseServerUrl, defaultEventUrl, type ServerEndpoint } from "./endpoint.js";
export type { ClientOptions, RpcValue, TlsClientOptions } from "./transport.js";
export type { Listener } from "./typed-emitter.js";
export type * from "./methods.js";
export type * from "./supervisor-types.js";
export type * from "./supvisors-types.js";
export type * from "./event-types.js";
export * from "./constants.js";
