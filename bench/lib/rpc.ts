/** XML-RPC over a unix socket, one connection per call (as supervisorctl does), with our codec. */
import { request } from "node:http";
import { encodeMethodCall, decodeMethodResponse, isRpcStruct, type RpcValue, type RpcStruct } from "../../src/supervisord/rpc/codec.js";
import { nowMs } from "./stats.js";

export type { RpcValue, RpcStruct };

export class RpcFault extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(`<Fault ${faultCode}: ${faultString}>`);
  }
}

/** The raw response body and the time from sending the request to its last byte (decoding excluded). */
export function rpcRaw(sock: string, method: string, params: RpcValue[] = [], timeoutMs = 300_000): Promise<{ body: Buffer; ms: number }> {
  const payload = encodeMethodCall(method, params);
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    const req = request(
      { socketPath: sock, agent: false, path: "/RPC2", method: "POST", headers: { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const ms = nowMs() - t0;
          if (res.statusCode !== 200) reject(new Error(`${method}: HTTP ${res.statusCode}`));
          else resolve({ body: Buffer.concat(chunks), ms });
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method}: no answer in ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(payload);
  });
}

export function decode(body: Buffer): RpcValue {
  const r = decodeMethodResponse(body);
  if (r.kind === "fault") throw new RpcFault(r.faultCode, r.faultString);
  return r.value;
}

export async function rpc(sock: string, method: string, params: RpcValue[] = [], timeoutMs?: number): Promise<RpcValue> {
  return decode((await rpcRaw(sock, method, params, timeoutMs)).body);
}

export function structs(v: RpcValue): RpcStruct[] {
  if (!Array.isArray(v)) throw new Error(`expected an array, got ${typeof v}`);
  return v.filter(isRpcStruct);
}
