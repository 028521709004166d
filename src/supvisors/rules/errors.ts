/** A rules file that cannot be used: the message names the file, the line, the element and the value. */
export type RulesErrorCode = "READ_FAILED" | "MALFORMED_XML" | "BAD_VALUE" | "UNKNOWN_ELEMENT" | "BAD_REFERENCE" | "BAD_FORMULA" | "MISSING_NAME";

export class RulesError extends Error {
  override readonly name = "RulesError";
  constructor(
    readonly code: RulesErrorCode,
    message: string,
    readonly file: string,
    readonly line: number | undefined,
  ) {
    super(line !== undefined ? `${file}:${line}: ${message}` : `${file}: ${message}`);
  }
}
