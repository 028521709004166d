/**
 * The URL parameters of the dashboard pages (spec §11.2): read from the query, checked, replaced
 * by their default when wrong (with an error for the footer, never a 500), and carried over into
 * every link the page makes: sorted, empty values dropped, URL-quoted. Links to another instance
 * are absolute, on a host the browser can reach (links.ts), without `ashex`.
 */
import { StartingStrategies } from "../../protocol/supvisors.js";
import type { Form } from "../form.js";

/** The parameters a link carries from page to page (the others are one-shot). */
const CARRIED = ["appname", "auto", "cpuid", "device", "diskstats", "ident", "nic", "partition", "period", "processname", "pshex", "ashex", "strategy"] as const;
type Carried = (typeof CARRIED)[number];

export type Gravity = "info" | "warn" | "erro";
const GRAVITIES: ReadonlySet<string> = new Set(["info", "warn", "erro"]);

export interface ViewEnv {
  readonly localIdentifier: string;
  /** Identifier or nick -> identifier. */
  resolveInstance(name: string): string | null;
  hasApplication(name: string): boolean;
  readonly periods: readonly number[];
  readonly defaultStrategy: string;
}

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);
const HEX = /^([0-9a-fA-F]{2})*$/;

export class ViewContext {
  private readonly values = new Map<Carried, string>();
  /** Footer errors of the parameters that were replaced by their default. */
  readonly errors: string[] = [];
  readonly action: string | null;
  readonly namespec: string | null;
  readonly message: string | null;
  readonly gravity: Gravity;
  readonly limit: string | null;

  constructor(
    readonly page: string,
    form: Form,
    readonly env: ViewEnv,
  ) {
    const get = (k: string) => {
      const v = form.get(k);
      return v === undefined || v === "" ? null : v;
    };
    this.action = get("action");
    this.namespec = get("namespec");
    this.limit = get("limit");
    this.message = get("message");
    const gravity = get("gravity");
    this.gravity = gravity !== null && GRAVITIES.has(gravity) ? (gravity as Gravity) : "info";
    if (gravity !== null && !GRAVITIES.has(gravity)) this.errors.push(`Incorrect gravity: ${gravity}`);

    const ident = get("ident");
    if (ident !== null) {
      const id = env.resolveInstance(ident);
      if (id === null) this.errors.push(`Incorrect ident: ${ident}`);
      else this.values.set("ident", id);
    }
    const appname = get("appname");
    if (appname !== null) {
      if (env.hasApplication(appname)) this.values.set("appname", appname);
      else this.errors.push(`Unknown application: ${appname}`);
    }
    const period = get("period");
    if (period !== null) {
      const n = Number(period);
      if (period.trim() !== "" && env.periods.includes(n)) this.values.set("period", String(n));
      else this.errors.push(`Incorrect period: ${period}`);
    }
    const strategy = get("strategy");
    if (strategy !== null) {
      if ((StartingStrategies as readonly string[]).includes(strategy.toUpperCase())) this.values.set("strategy", strategy.toUpperCase());
      else this.errors.push(`Incorrect strategy: ${strategy}`);
    }
    const auto = get("auto");
    if (auto !== null) {
      if (TRUE.has(auto.toLowerCase())) this.values.set("auto", "true");
      else if (!FALSE.has(auto.toLowerCase())) this.errors.push(`Incorrect auto: ${auto}`);
    }
    const cpuid = get("cpuid");
    if (cpuid !== null) {
      if (/^\d{1,4}$/.test(cpuid)) this.values.set("cpuid", String(Number(cpuid)));
      else this.errors.push(`Incorrect cpuid: ${cpuid}`);
    }
    const diskstats = get("diskstats");
    if (diskstats !== null) {
      if (diskstats === "io" || diskstats === "usage") this.values.set("diskstats", diskstats);
      else this.errors.push(`Incorrect diskstats: ${diskstats}`);
    }
    for (const k of ["ashex", "pshex"] as const) {
      const v = get(k);
      if (v === null) continue;
      if (HEX.test(v)) this.values.set(k, v.toLowerCase());
      else this.errors.push(`Incorrect ${k}: ${v}`);
    }
    // Checked by the page that knows what exists (the processes running here, the NICs, disks).
    for (const k of ["processname", "nic", "partition", "device"] as const) {
      const v = get(k);
      if (v !== null) this.values.set(k, v);
    }
  }

  get(key: Carried): string | null {
    return this.values.get(key) ?? null;
  }

  /** A parameter the page found wrong: back to its default, with the footer error. */
  reject(key: Carried, why = `Incorrect ${key}`): void {
    const v = this.values.get(key);
    if (v === undefined) return;
    this.values.delete(key);
    this.errors.push(`${why}: ${v}`);
  }

  /** The selected instance (default: the one serving the page). */
  get identifier(): string {
    return this.values.get("ident") ?? this.env.localIdentifier;
  }

  get auto(): boolean {
    return this.values.get("auto") === "true";
  }

  get period(): number {
    const p = this.values.get("period");
    return p === undefined ? (this.env.periods[0] ?? 5) : Number(p);
  }

  get strategy(): string {
    return this.values.get("strategy") ?? this.env.defaultStrategy;
  }

  get processname(): string | null {
    return this.values.get("processname") ?? null;
  }

  /** `?k=v&...` of the carried parameters with `changes` applied (null removes), or "". */
  query(changes: Readonly<Partial<Record<Carried | "action" | "namespec" | "message" | "gravity" | "limit", string | number | boolean | null>>> = {}, drop: readonly Carried[] = []): string {
    const all = new Map<string, string>(this.values);
    for (const k of drop) all.delete(k);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === undefined || v === "" || v === false) all.delete(k);
      else all.set(k, v === true ? "true" : String(v));
    }
    const keys = [...all.keys()].sort();
    return keys.length ? "?" + keys.map((k) => `${k}=${encodeURIComponent(all.get(k)!)}`).join("&") : "";
  }

  /** Relative link to a page of this instance. */
  url(page: string, changes: Parameters<ViewContext["query"]>[0] = {}): string {
    return `${page}${this.query(changes)}`;
  }
}

/** The one-shot parameters of the page after an action: the same page, with the message. */
export function redirectQuery(ctx: ViewContext, message: string, gravity: Gravity): string {
  return ctx.query({ message, gravity });
}

export const STRATEGY_NAMES: readonly string[] = StartingStrategies;
