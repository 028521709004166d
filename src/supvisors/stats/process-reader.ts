/**
 * CPU and memory of a process tree (spec §9.3), as Supvisors measures it with psutil:
 * proc_work = user + system seconds of the process and of every descendant (their own times, not
 * cutime/cstime: a reaped child's time leaves the sum, as with psutil), proc_memory = the sum of
 * their RSS in percent of MemTotal.
 *
 * Descendants are found through /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN). On a
 * kernel without that file the reader switches, once for all, to a scan of every /proc/<pid>/stat
 * building a ppid -> children map (psutil's only method); the map is reused for `scanMaxAgeMs`
 * so that a round of many roots costs one scan, a descendant born since then being counted from
 * the next scan on. Every member's stat is read again at each usage(), so the times are current.
 *
 * Descriptors: a root's stat is kept open (reopen = false: once its process is reaped the reads
 * fail, so a reused pid is never measured); beyond the cap it is opened at each read and tied to
 * its process by the start time (field 22) instead. Descendants' stat and children files, and the
 * scan's stat files, are kept too while they exist, because a tree is re-read every few seconds
 * for as long as it lives and a pread costs a tenth of open + read + close; beyond `maxKeptFiles`
 * they are read with open/read/close. A descendant must also still name its parent in its stat
 * (ppid), which skips a reparented orphan and a pid reused since it was listed.
 */
import { existsSync, readdirSync } from "node:fs";
import { KeptFile, isGone, readOnce, type ReadShape } from "./kept-file.js";
import { clockTicks, pageBytes } from "./sysconf.js";
import type { ProcessUsage } from "./types.js";

export interface ProcessTreeReaderOptions {
  /** Default "/proc". */
  procRoot?: string;
  /** Default: MemTotal of <procRoot>/meminfo, read once. */
  memTotalBytes?: number;
  /**
   * Descriptors kept at most; beyond, files are opened at each read. Default 4096. The daemon
   * passes a share of its RLIMIT_NOFILE, so statistics never take the descriptors its children's
   * pipes need.
   */
  maxKeptFiles?: number;
  /** Reuse of the ppid map of the /proc scan (kernels without children files). Default 1000 ms. */
  scanMaxAgeMs?: number;
}

/** The fields of /proc/<pid>/stat the statistics use. */
export interface ProcStat {
  /** Field 3: R, S, D, Z, T... */
  state: string;
  /** Field 4. */
  ppid: number;
  /** Fields 14 + 15: utime + stime, clock ticks. */
  ticks: number;
  /** Field 20. */
  numThreads: number;
  /** Field 22: start time after boot, clock ticks (with the pid, identifies a process). */
  startTime: number;
  /** Field 24: resident pages. */
  rssPages: number;
}

/** The decimal integer (optionally negative) at text[i]. */
function intAt(text: string, i: number): number {
  let negative = false;
  if (text.charCodeAt(i) === 45) {
    negative = true;
    i++;
  }
  let value = 0;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) value = value * 10 + (c - 48);
  return negative ? -value : value;
}

/**
 * Parses /proc/<pid>/stat. The comm (field 2) is in parentheses and may hold spaces and ')', so
 * the fields are counted from the LAST ')'. Null when the text is cut short.
 */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(")");
  if (close < 0 || close + 2 >= text.length) return null;
  let i = close + 2; // field 3
  const state = text[i];
  let ppid = 0;
  let ticks = 0;
  let numThreads = 0;
  let startTime = 0;
  for (let field = 3; field < 24; ) {
    i = text.indexOf(" ", i);
    if (i < 0) return null;
    i++;
    field++;
    if (field === 4) ppid = intAt(text, i);
    else if (field === 14 || field === 15) ticks += intAt(text, i);
    else if (field === 20) numThreads = intAt(text, i);
    else if (field === 22) startTime = intAt(text, i);
    else if (field === 24) return { state, ppid, ticks, numThreads, startTime, rssPages: intAt(text, i) };
  }
  return null;
}

/** The pids of a children file ("12 345 "). */
function parsePids(text: string, into: number[]): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      const pid = intAt(text, i);
      into.push(pid);
      while (i < text.length && text.charCodeAt(i) !== 32) i++;
    }
  }
}

/** A directory entry of /proc that is a process: all digits. */
function pidOf(name: string): number {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return 0;
  }
  return name.length > 0 ? Number(name) : 0;
}

/** The files of one process: kept, or null when read with open/read/close (the cap reached). */
interface ProcFiles {
  stat: KeptFile | null;
  children: KeptFile | null;
  /** The walk that last met it: a descendant no walk meets any more is closed. */
  walk: number;
}

interface Root {
  files: ProcFiles;
  descendants: Map<number, ProcFiles>;
  walks: number;
  /** Its stat was read once: the kept descriptor (or the start time) is bound to a process. */
  bound: boolean;
  /** The bound process's start time: checked when the stat is not kept (the cap reached). */
  startTime: number;
}

interface ScanEntry {
  file: KeptFile | null;
  scan: number;
}

export class ProcessTreeReader {
  private readonly procRoot: string;
  private readonly memTotal: number;
  private readonly maxKept: number;
  private readonly scanMaxAge: number;
  private readonly roots = new Map<number, Root>();
  private kept = 0;
  /** Whether children files exist: unknown until the first root is read. */
  private mode: "unknown" | "children" | "scan" = "unknown";
  private readonly scanFiles = new Map<number, ScanEntry>();
  private readonly scanChildren = new Map<number, number[]>();
  private scans = 0;
  private scanAt = Number.NEGATIVE_INFINITY;

  constructor(opts: ProcessTreeReaderOptions = {}) {
    this.procRoot = opts.procRoot ?? "/proc";
    this.maxKept = opts.maxKeptFiles ?? 4096;
    this.scanMaxAge = opts.scanMaxAgeMs ?? 1000;
    this.memTotal = opts.memTotalBytes ?? memTotalOf(this.procRoot);
  }

  /** Descriptors currently kept open. */
  get openFiles(): number {
    return this.kept;
  }

  /** Usage of `pid` and all its descendants; null when `pid` is gone (or a zombie, then forgotten). */
  usage(pid: number): ProcessUsage | null {
    const root = this.root(pid);
    const stat = root && this.rootStat(root, pid);
    if (!root || !stat) return null;
    let ticks = stat.ticks;
    let pages = stat.rssPages;
    const walk = ++root.walks;
    const visited = new Set<number>([pid]);
    // Iterative depth-first walk: [pid, its num_threads, its files] of the members to expand.
    const stack: [number, number, ProcFiles | null][] = [[pid, stat.numThreads, root.files]];
    const kids: number[] = [];
    while (stack.length > 0) {
      const [parent, threads, files] = stack.pop()!;
      kids.length = 0;
      if (this.mode !== "scan") this.childrenOf(parent, threads, files, kids);
      if (this.mode === "scan") {
        if (parent === pid) this.refreshScan();
        const listed = this.scanChildren.get(parent);
        if (listed) for (const child of listed) kids.push(child);
      }
      for (const child of kids) {
        if (visited.has(child)) continue;
        visited.add(child);
        const found = this.mode === "scan" ? this.scanMember(child) : this.descendant(root, child, walk);
        if (!found || found.stat.ppid !== parent) continue;
        ticks += found.stat.ticks;
        pages += found.stat.rssPages;
        stack.push([child, found.stat.numThreads, found.files]);
      }
    }
    for (const [child, files] of root.descendants) {
      if (files.walk !== walk) {
        this.closeFiles(files); // left the tree (or the scan mode took over)
        root.descendants.delete(child);
      }
    }
    return this.usageOf(ticks, pages);
  }

  /** Usage of `pid` alone (the supervisord entry: the daemon without its children). */
  usageNoChildren(pid: number): ProcessUsage | null {
    const root = this.root(pid);
    const stat = root && this.rootStat(root, pid);
    return root && stat ? this.usageOf(stat.ticks, stat.rssPages) : null;
  }

  /** Closes the files of `pid` (the caller stopped sampling it); the scan's when no root is left. */
  forget(pid: number): void {
    const root = this.roots.get(pid);
    if (!root) return;
    this.closeFiles(root.files);
    for (const files of root.descendants.values()) this.closeFiles(files);
    this.roots.delete(pid);
    if (this.roots.size === 0) this.dropScan();
  }

  close(): void {
    for (const pid of [...this.roots.keys()]) this.forget(pid);
    this.dropScan();
  }

  private usageOf(ticks: number, pages: number): ProcessUsage {
    return { proc_work: ticks / clockTicks(), proc_memory: ((pages * pageBytes()) / this.memTotal) * 100 };
  }

  private root(pid: number): Root | null {
    if (!Number.isSafeInteger(pid) || pid <= 0) return null;
    let root = this.roots.get(pid);
    if (!root) {
      const stat = this.keptOrNull(`${this.procRoot}/${pid}/stat`, "whole");
      root = { files: { stat, children: null, walk: 0 }, descendants: new Map(), walks: 0, bound: false, startTime: 0 };
      this.roots.set(pid, root);
    }
    return root;
  }

  /** The root's stat; on its death its other files are released (the dead stat stays: null until forget). */
  private rootStat(root: Root, pid: number): ProcStat | null {
    const kept = root.files.stat;
    const text = kept ? this.readKept(kept) : this.readOnceOrNull(`${this.procRoot}/${pid}/stat`);
    let stat = text === null ? null : parseProcStat(text);
    // Not kept: another process with the same pid has another start time.
    if (stat && !kept && root.bound && stat.startTime !== root.startTime) stat = null;
    if (stat && stat.state !== "Z") {
      root.bound = true;
      root.startTime = stat.startTime;
      return stat;
    }
    if (stat || !root.bound) {
      // A zombie (its pid is about to be released), or a pid that never existed for this reader
      // (nothing is bound to it, nothing to remember).
      this.forget(pid);
    } else {
      if (root.files.children) this.closeKept(root.files.children);
      root.files.children = null;
      for (const files of root.descendants.values()) this.closeFiles(files);
      root.descendants.clear();
    }
    return null;
  }

  /** A descendant's stat, read through its kept files (renewed once if they belong to a dead process). */
  private descendant(root: Root, pid: number, walk: number): { stat: ProcStat; files: ProcFiles } | null {
    const known = root.descendants.get(pid);
    let stat = known ? this.readStat(known, pid) : null;
    let files: ProcFiles;
    if (known && stat) {
      files = known;
    } else {
      // New, or its descriptors outlived their process and the pid is listed again: a new process.
      if (known) this.closeFiles(known);
      files = { stat: this.keptOrNull(`${this.procRoot}/${pid}/stat`, "whole"), children: null, walk };
      root.descendants.set(pid, files);
      stat = this.readStat(files, pid);
      if (!stat) {
        this.closeFiles(files); // vanished mid-walk: skipped
        root.descendants.delete(pid);
        return null;
      }
    }
    files.walk = walk;
    return { stat, files };
  }

  /**
   * The children of `pid`, from its threads' children files: the main thread's is kept, the other
   * threads' (they come and go) are read with open/read/close. Decides the mode at the first call.
   */
  private childrenOf(pid: number, threads: number, files: ProcFiles | null, into: number[]): void {
    const mainPath = `${this.procRoot}/${pid}/task/${pid}/children`;
    if (files && !files.children) files.children = this.keptOrNull(mainPath, "records");
    const main = files?.children ? this.readKept(files.children) : this.readOnceOrNull(mainPath);
    if (main === null) {
      // Gone, or a kernel without CONFIG_PROC_CHILDREN: then the thread's directory is there.
      if (this.mode === "unknown" && existsSync(`${this.procRoot}/${pid}/task/${pid}`)) {
        this.mode = "scan";
        if (files?.children) this.closeKept(files.children);
        if (files) files.children = null;
      }
      return;
    }
    this.mode = "children";
    parsePids(main, into);
    if (threads <= 1) return;
    let tids: string[];
    try {
      tids = readdirSync(`${this.procRoot}/${pid}/task`);
    } catch (err) {
      if (isGone(err)) return;
      throw err;
    }
    for (const tid of tids) {
      if (pidOf(tid) === pid) continue;
      const text = this.readOnceOrNull(`${this.procRoot}/${pid}/task/${tid}/children`);
      if (text !== null) parsePids(text, into);
    }
  }

  /** Rebuilds the ppid -> children map from every /proc/<pid>/stat, unless the last one is recent. */
  private refreshScan(): void {
    const started = performance.now();
    if (started - this.scanAt < this.scanMaxAge) return;
    this.scanAt = started;
    const scan = ++this.scans;
    this.scanChildren.clear();
    for (const name of readdirSync(this.procRoot)) {
      const pid = pidOf(name);
      if (pid === 0) continue;
      const known = this.scanFiles.get(pid);
      let text = known ? this.readEntry(known, pid) : null;
      let entry: ScanEntry;
      if (known && text !== null) {
        entry = known;
      } else {
        // New pid, or a reused one (the kept descriptor belongs to the dead process).
        if (known?.file) this.closeKept(known.file);
        entry = { file: this.keptOrNull(`${this.procRoot}/${pid}/stat`, "whole"), scan };
        this.scanFiles.set(pid, entry);
        text = this.readEntry(entry, pid);
      }
      const stat = text === null ? null : parseProcStat(text);
      if (!stat) continue; // exited during the scan: the sweep below closes it
      entry.scan = scan;
      const siblings = this.scanChildren.get(stat.ppid);
      if (siblings) siblings.push(pid);
      else this.scanChildren.set(stat.ppid, [pid]);
    }
    for (const [pid, entry] of this.scanFiles) {
      if (entry.scan !== scan) {
        if (entry.file) this.closeKept(entry.file);
        this.scanFiles.delete(pid);
      }
    }
  }

  /** A member found by the scan: its stat read now (not the scan's copy, which may be a second old). */
  private scanMember(pid: number): { stat: ProcStat; files: null } | null {
    const entry = this.scanFiles.get(pid);
    const text = entry ? this.readEntry(entry, pid) : this.readOnceOrNull(`${this.procRoot}/${pid}/stat`);
    const stat = text === null ? null : parseProcStat(text);
    return stat ? { stat, files: null } : null;
  }

  private dropScan(): void {
    for (const entry of this.scanFiles.values()) if (entry.file) this.closeKept(entry.file);
    this.scanFiles.clear();
    this.scanChildren.clear();
    this.scanAt = Number.NEGATIVE_INFINITY;
  }

  private readEntry(entry: ScanEntry, pid: number): string | null {
    return entry.file ? this.readKept(entry.file) : this.readOnceOrNull(`${this.procRoot}/${pid}/stat`);
  }

  private readStat(files: ProcFiles, pid: number): ProcStat | null {
    const text = files.stat ? this.readKept(files.stat) : this.readOnceOrNull(`${this.procRoot}/${pid}/stat`);
    return text === null ? null : parseProcStat(text);
  }

  /** A kept file while under the cap, else null (the caller reads with open/read/close). */
  private keptOrNull(path: string, shape: ReadShape): KeptFile | null {
    return this.kept < this.maxKept ? new KeptFile(path, shape, false) : null;
  }

  /** KeptFile.read, counting the descriptors it opens and closes. */
  private readKept(file: KeptFile): string | null {
    const wasOpen = file.isOpen;
    try {
      return file.read();
    } finally {
      if (file.isOpen !== wasOpen) this.kept += file.isOpen ? 1 : -1;
    }
  }

  private closeKept(file: KeptFile): void {
    if (file.isOpen) this.kept--;
    file.close();
  }

  private closeFiles(files: ProcFiles): void {
    if (files.stat) this.closeKept(files.stat);
    if (files.children) this.closeKept(files.children);
  }

  private readOnceOrNull(path: string): string | null {
    try {
      return readOnce(path, path.endsWith("/stat") ? "whole" : "records");
    } catch (err) {
      if (isGone(err)) return null;
      throw err;
    }
  }
}

/** MemTotal of <procRoot>/meminfo, in bytes. */
function memTotalOf(procRoot: string): number {
  const text = readOnce(`${procRoot}/meminfo`, "whole");
  let i = text.indexOf("MemTotal:");
  let kb = 0;
  if (i >= 0) {
    i += "MemTotal:".length;
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
    kb = intAt(text, i);
  }
  if (!(kb > 0)) throw new Error(`no MemTotal in ${procRoot}/meminfo`);
  return kb * 1024;
}
