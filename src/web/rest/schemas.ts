// Placeholder until the real schemas land (helper writing them): keeps the build whole.
export type JsonSchema = Record<string, unknown>;
export const COMPONENT_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Fault: { type: "object", properties: { message: { type: "string" }, code: { type: "integer" } }, required: ["message", "code"] },
  Error: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
};
export const RESULT_SCHEMAS: Readonly<Record<string, JsonSchema>> = {};
