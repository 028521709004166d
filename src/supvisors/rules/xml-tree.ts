/**
 * A rules file as a small element tree with line numbers (fast-xml-parser, ordered output with
 * metadata), so every later error can say where it is.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { RulesError } from "./errors.js";

export interface XmlElement {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** Text content (trimmed), "" when none. */
  readonly text: string;
  readonly children: readonly XmlElement[];
  readonly line: number;
}

const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

type OrderedNode = Record<string, unknown> & { ":@"?: Record<string, string> };

function lineAt(lineStarts: readonly number[], index: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export function parseXmlTree(text: string, file: string): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new RulesError("MALFORMED_XML", `malformed XML: ${valid.err.msg}`, file, valid.err.line);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "", captureMetaData: true, parseTagValue: false, parseAttributeValue: false, trimValues: true, commentPropName: "#comment" });
  const nodes = parser.parse(text) as OrderedNode[];
  const convert = (node: OrderedNode): XmlElement | null => {
    const tag = Object.keys(node).find((k) => k !== ":@");
    if (!tag || tag.startsWith("?") || tag === "#text" || tag === "#comment") return null;
    const kids = (node[tag] as OrderedNode[]) ?? [];
    const meta = (node as unknown as Record<symbol, { startIndex?: number }>)[META];
    const texts = kids.filter((k) => "#text" in k).map((k) => String(k["#text"]));
    return {
      tag,
      attrs: { ...(node[":@"] ?? {}) },
      text: texts.join("").trim(),
      children: kids.map(convert).filter((k): k is XmlElement => k !== null),
      line: meta?.startIndex !== undefined ? lineAt(lineStarts, meta.startIndex) : 0,
    };
  };
  const roots = nodes.map(convert).filter((n): n is XmlElement => n !== null);
  if (roots.length !== 1) throw new RulesError("MALFORMED_XML", `one root element expected, found ${roots.length}`, file, undefined);
  return roots[0]!;
}
