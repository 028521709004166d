/**
 * Config errors. The message is exactly supervisord's wording (users and the differential tests
 * compare it); where the reader knows more than supervisord says (file, line, section, option),
 * that goes into separate properties so the CLI can print a second, more helpful line.
 */

export interface ConfigLocation {
  /** File the offending text came from (as given on the command line, or an included path). */
  readonly file?: string;
  /** 1-based line of the option (or of the section header when no option is involved). */
  readonly line?: number;
  readonly section?: string;
  readonly option?: string;
}

export type ConfigErrorCode =
  | "PARSE" // INI syntax (ParsingError / MissingSectionHeaderError)
  | "NOT_FOUND" // config file missing or unreadable
  | "VALUE" // a value failed its datatype or a cross-option rule
  | "EXPAND" // %(...)s expansion failed
  | "MISSING"; // a required section or option is absent

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code: ConfigErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly section: string | undefined;
  readonly option: string | undefined;

  constructor(message: string, code: ConfigErrorCode, where: ConfigLocation = {}) {
    super(message);
    this.code = code;
    this.file = where.file;
    this.line = where.line;
    this.section = where.section;
    this.option = where.option;
  }

  /** Same error with the message rewritten (e.g. supervisord's per-section suffix added). */
  withMessage(message: string): ConfigError {
    return new ConfigError(message, this.code, this);
  }

  /** Same error with location fields filled in where still unknown. */
  withLocation(where: ConfigLocation): ConfigError {
    return new ConfigError(this.message, this.code, {
      file: this.file ?? where.file,
      line: this.line ?? where.line,
      section: this.section ?? where.section,
      option: this.option ?? where.option,
    });
  }
}

/**
 * A datatype or rule violation before it is tied to a place in the file: the equivalent of the
 * bare ValueError supervisord raises from its datatype functions.
 */
export class ValueProblem extends Error {
  override readonly name = "ValueProblem";
  readonly code: ConfigErrorCode;
  constructor(message: string, code: ConfigErrorCode = "VALUE") {
    super(message);
    this.code = code;
  }
}

/** The location line the CLI prints under `Error: <message>`, or null when nothing is known. */
export function describeConfigLocation(err: ConfigError): string | null {
  const parts: string[] = [];
  if (err.file !== undefined) parts.push(err.line !== undefined ? `${err.file}:${err.line}` : err.file);
  if (err.section !== undefined) parts.push(`section [${err.section}]`);
  if (err.option !== undefined) parts.push(`option '${err.option}'`);
  return parts.length > 0 ? `(at ${parts.join(", ")})` : null;
}

/**
 * The lines supervisord prints on stderr for a usage/config error, plus our location line:
 * `Error: <message>`, `(at /etc/x.conf:12, section [program:x], option 'autostart')`,
 * `For help, use <argv0> -h`.
 */
export function formatConfigError(err: Error, argv0: string): string {
  const lines = [`Error: ${err.message}`];
  if (err instanceof ConfigError) {
    const where = describeConfigLocation(err);
    if (where !== null) lines.push(where);
  }
  lines.push(`For help, use ${argv0} -h`);
  return lines.join("\n") + "\n";
}
