/**
 * The services' one error type (SupervisorService and SupvisorsService): a named, coded fault of
 * supervisord's table or Supvisors' additions. It knows no wire format: the XML-RPC layer turns it
 * into a <fault>, REST into `{"message", "code"}` with HTTP 400, the web pages into a footer message.
 */
import { faultName } from "../../protocol/faults.js";

export class ServiceFault extends Error {
  /** `NAME` or `NAME: detail`, exactly as supervisord's faultString (detail shown as given). */
  readonly faultString: string;
  constructor(
    readonly code: number,
    detail?: string | number | null,
  ) {
    const text = detail === undefined || detail === null ? faultName(code) : `${faultName(code)}: ${detail}`;
    super(text);
    this.name = "ServiceFault";
    this.faultString = text;
  }
}
