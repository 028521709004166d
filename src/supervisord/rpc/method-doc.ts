/** What a method tells about itself: help text, signature and accepted argument counts. */
export interface MethodDoc {
  /** `[returnType, paramType...]` as system.methodSignature answers. */
  readonly signature: readonly string[];
  /** Accepted argument counts; outside them the call faults with INCORRECT_PARAMETERS. */
  readonly arity: { readonly min: number; readonly max: number };
  readonly paramNames: readonly string[];
  /** The docstring exactly as system.methodHelp returns it. */
  readonly help: string;
}
