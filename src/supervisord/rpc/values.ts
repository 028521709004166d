/**
 * The values an XML-RPC message can carry, as our code sees them.
 *
 * Plain JS numbers encode as `<int>` when integral (`<i8>` outside the int32 range) and as
 * `<double>` otherwise; wrap a number in RpcDouble to force `<double>` for an integral value.
 * Buffer = `<base64>`, Date = `<dateTime.iso8601>` (UTC fields), null = `<nil/>`.
 */
export class RpcDouble {
  constructor(readonly value: number) {}
}

export type RpcValue =
  | number
  | string
  | boolean
  | null
  | Buffer
  | Date
  | RpcDouble
  | RpcValue[]
  | { [k: string]: RpcValue };

export type RpcStruct = { [k: string]: RpcValue };

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

export function isRpcStruct(v: RpcValue | undefined): v is RpcStruct {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    !Buffer.isBuffer(v) &&
    !(v instanceof Date) &&
    !(v instanceof RpcDouble)
  );
}
