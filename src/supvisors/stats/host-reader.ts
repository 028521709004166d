/**
 * The raw host sample of spec §9.2, read from /proc and /sys as psutil reads them for Supvisors.
 *
 * Every file read at each sample stays open (KeptFile, reopen = true: a host file that fails once,
 * say the flags of an interface that went away, may come back) and is parsed with index scans,
 * no regex and no split, because a sample is taken every few seconds forever and must stay far
 * below a millisecond. The only per-sample system calls are one pread per file and one statfs per
 * real partition; the mount table is parsed again only when its text changes.
 *
 * Roots are options so that tests can point the reader at hand-written fixtures.
 */
import { statfsSync } from "node:fs";
import { KeptFile, isGone, readOnce } from "./kept-file.js";
import type { CpuJiffies, HostSample, IoCounters } from "./types.js";

export interface HostReaderOptions {
  /** Default "/proc". */
  procRoot?: string;
  /** Default "/sys". */
  sysRoot?: string;
}

/** The unit of the sector counters of /proc/diskstats, whatever the device's real sector size. */
const SECTOR_BYTES = 512;
/** IFF_UP of <linux/if.h>: the interface is administratively up. */
const IFF_UP = 0x1;

/** Reused by every line parse: the numbers of one line (the longest, /proc/net/dev, has 16). */
const fields: number[] = new Array(32).fill(0);

/**
 * Parses the unsigned decimal numbers of text[from, to) into `fields`, returns how many. Tokens
 * are separated by spaces or tabs; a token holding anything else than digits counts as NaN.
 */
function numbersIn(text: string, from: number, to: number): number {
  let count = 0;
  let i = from;
  while (i < to && count < fields.length) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    let value = 0;
    let valid = true;
    while (i < to && c !== 32 && c !== 9) {
      if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
      else valid = false;
      c = text.charCodeAt(++i);
    }
    fields[count++] = valid ? value : Number.NaN;
  }
  return count;
}

/** fields[i] of a line of n numbers, 0 when absent (older kernels have fewer columns) or not a number. */
function field(i: number, n: number): number {
  const v = fields[i];
  return i < n && v === v ? v : 0;
}

/** End of the line starting at `pos` (index of its "\n", or the text length). */
function lineEnd(text: string, pos: number): number {
  const eol = text.indexOf("\n", pos);
  return eol < 0 ? text.length : eol;
}

/**
 * Python's round(x, 1), as psutil rounds its percents: the nearest one-decimal value of the exact
 * binary x, and on an exact tie (only x = k/4 with k odd, e.g. 12.25) the even one. toFixed also
 * works on the exact value but breaks ties upwards, hence the special case.
 */
export function pyRound1(x: number): number {
  const quarters = x * 4;
  if (Number.isInteger(quarters) && Math.abs(quarters % 2) === 1) {
    const low = Math.floor(x * 10);
    return (low % 2 === 0 ? low : low + 1) / 10;
  }
  return Number(x.toFixed(1));
}

/** /proc text is read as latin1 (bytes); names that are UTF-8 on disk become real strings here. */
function utf8(latin1: string): string {
  for (let i = 0; i < latin1.length; i++) {
    if (latin1.charCodeAt(i) > 0x7f) return Buffer.from(latin1, "latin1").toString("utf8");
  }
  return latin1;
}

/** /proc/self/mounts writes space, tab, newline and backslash as \040 \011 \012 \134 (any \ooo decoded). */
export function decodeMountField(field: string): string {
  if (!field.includes("\\")) return utf8(field);
  let out = "";
  for (let i = 0; i < field.length; i++) {
    const c = field[i];
    const octal = field.slice(i + 1, i + 4);
    if (c === "\\" && octal.length === 3 && /^[0-7]{3}$/.test(octal)) {
      out += String.fromCharCode(Number.parseInt(octal, 8));
      i += 3;
    } else {
      out += c;
    }
  }
  return utf8(out);
}

/**
 * The filesystem types psutil.disk_partitions(all=False) accepts: the lines of /proc/filesystems
 * not flagged "nodev" (the ones that need a block device), plus zfs, listed "nodev" yet real.
 */
export function realFilesystems(text: string): Set<string> {
  const types = new Set<string>();
  for (let pos = 0; pos < text.length; ) {
    const eol = lineEnd(text, pos);
    const tab = text.indexOf("\t", pos);
    if (tab >= 0 && tab < eol) {
      const flag = text.slice(pos, tab).trim();
      const name = text.slice(tab + 1, eol).trim();
      if (name && (flag === "" || name === "zfs")) types.add(name);
    }
    pos = eol + 1;
  }
  return types;
}

/**
 * The mountpoints of the real partitions of a mount table, first occurrence only. A mount is kept
 * when its type is real (above) and its device is a path ("/dev/vda", "/dev/mapper/x"): psutil
 * only drops the device "none", but a real type mounted from a non-path (a FUSE helper's name) has
 * no device behind it. zfs is the exception: its device is "pool/dataset".
 */
export function realMountpoints(mounts: string, real: ReadonlySet<string>): string[] {
  const seen = new Set<string>();
  for (let pos = 0; pos < mounts.length; ) {
    const eol = lineEnd(mounts, pos);
    const s1 = mounts.indexOf(" ", pos);
    const s2 = s1 < 0 ? -1 : mounts.indexOf(" ", s1 + 1);
    const s3 = s2 < 0 ? -1 : mounts.indexOf(" ", s2 + 1);
    if (s3 > 0 && s3 < eol) {
      const fstype = mounts.slice(s2 + 1, s3);
      const pathDevice = mounts.charCodeAt(pos) === 47; // "/"
      if (real.has(fstype) && (pathDevice || fstype === "zfs")) seen.add(decodeMountField(mounts.slice(s1 + 1, s2)));
    }
    pos = eol + 1;
  }
  return [...seen];
}

/** psutil.disk_usage(path).percent: used / (used + available to users), 0 on an empty filesystem. */
function usedPercent(path: string): number | null {
  let fs;
  try {
    fs = statfsSync(path);
  } catch {
    return null; // EACCES, a mount gone since the table was read, ...: Supvisors skips it
  }
  const used = (fs.blocks - fs.bfree) * fs.bsize;
  const total = used + fs.bavail * fs.bsize;
  return total > 0 ? pyRound1((used / total) * 100) : 0;
}

interface NicFlags {
  file: KeptFile;
  /** The sample that last saw the interface in /proc/net/dev: older ones are closed. */
  seen: number;
}

export class HostReader {
  private readonly procRoot: string;
  private readonly sysRoot: string;
  private readonly stat: KeptFile;
  private readonly meminfo: KeptFile;
  private readonly netDev: KeptFile;
  private readonly diskstats: KeptFile;
  private readonly mounts: KeptFile;
  private readonly nics = new Map<string, NicFlags>();
  private readonly realTypes: Set<string>;
  private mountsText: string | null = null;
  private mountpoints: string[] = [];
  private samples = 0;

  constructor(opts: HostReaderOptions = {}) {
    this.procRoot = opts.procRoot ?? "/proc";
    this.sysRoot = opts.sysRoot ?? "/sys";
    this.stat = new KeptFile(`${this.procRoot}/stat`, "whole", true);
    this.meminfo = new KeptFile(`${this.procRoot}/meminfo`, "whole", true);
    this.netDev = new KeptFile(`${this.procRoot}/net/dev`, "records", true);
    this.diskstats = new KeptFile(`${this.procRoot}/diskstats`, "records", true);
    this.mounts = new KeptFile(`${this.procRoot}/self/mounts`, "records", true);
    // The list of filesystem types only grows when a module loads: once is enough.
    let filesystems = "";
    try {
      filesystems = readOnce(`${this.procRoot}/filesystems`, "records");
    } catch (err) {
      if (!isGone(err)) throw err;
    }
    this.realTypes = realFilesystems(filesystems);
  }

  /**
   * One raw sample stamped `now` (the caller's monotonic seconds). Throws when /proc/stat or
   * /proc/meminfo cannot be read (no host sample makes sense then); a missing network, disk or
   * mount file only leaves its part empty.
   */
  sample(now: number): HostSample {
    this.samples++;
    return {
      now,
      cpu: this.cpu(),
      mem: this.mem(),
      net_io: this.netIo(),
      disk_usage: this.diskUsage(),
      disk_io: this.diskIo(),
    };
  }

  /** Number of descriptors currently open (tests check close() releases them). */
  get openFiles(): number {
    let n = 0;
    for (const f of [this.stat, this.meminfo, this.netDev, this.diskstats, this.mounts]) if (f.isOpen) n++;
    for (const nic of this.nics.values()) if (nic.file.isOpen) n++;
    return n;
  }

  close(): void {
    for (const f of [this.stat, this.meminfo, this.netDev, this.diskstats, this.mounts]) f.close();
    for (const nic of this.nics.values()) nic.file.close();
    this.nics.clear();
  }

  /**
   * The `cpuN` lines (the aggregate `cpu` line is not used: entry 0 is the mean of the cores, as
   * Supvisors computes it): work = user + nice + system + irq + softirq + steal, idle = idle +
   * iowait; guest and guest_nice are left out, Linux already counts them in user and nice.
   */
  private cpu(): CpuJiffies[] {
    const text = this.stat.read();
    if (text === null) throw new Error(`cannot read ${this.stat.path}`);
    const cpu: CpuJiffies[] = [[0, 0]];
    for (let pos = 0; pos < text.length; ) {
      const eol = lineEnd(text, pos);
      const digit = text.charCodeAt(pos + 3);
      if (text.startsWith("cpu", pos) && digit >= 48 && digit <= 57) {
        const name = text.indexOf(" ", pos);
        const n = name < 0 || name > eol ? 0 : numbersIn(text, name, eol);
        cpu.push([
          field(0, n) + field(1, n) + field(2, n) + field(5, n) + field(6, n) + field(7, n),
          field(3, n) + field(4, n),
        ]);
      } else if (cpu.length > 1) {
        break; // the cpu lines come first: skip the long intr line and the rest
      }
      pos = eol + 1;
    }
    const cores = cpu.length - 1;
    if (cores > 0) {
      let work = 0;
      let idle = 0;
      for (let i = 1; i <= cores; i++) {
        work += cpu[i][0];
        idle += cpu[i][1];
      }
      cpu[0] = [work / cores, idle / cores];
    }
    return cpu;
  }

  /**
   * psutil's virtual_memory().percent: (MemTotal - MemAvailable) / MemTotal. Kernels before 3.14
   * have no MemAvailable: MemFree + Buffers + Cached approximates it then (psutil's last resort).
   */
  private mem(): number {
    const text = this.meminfo.read();
    if (text === null) throw new Error(`cannot read ${this.meminfo.path}`);
    const kb = (key: string): number => {
      // at a line start: "Cached:" must not match "SwapCached:"
      const at = text.startsWith(key) ? 0 : text.indexOf(`\n${key}`) + 1;
      if (at === 0 && !text.startsWith(key)) return Number.NaN;
      const n = numbersIn(text, at + key.length, lineEnd(text, at));
      return n > 0 ? fields[0] : Number.NaN;
    };
    const total = kb("MemTotal:");
    let avail = kb("MemAvailable:");
    if (Number.isNaN(avail)) avail = (kb("MemFree:") || 0) + (kb("Buffers:") || 0) + (kb("Cached:") || 0);
    if (!(total > 0)) return 0;
    return pyRound1(((total - avail) / total) * 100);
  }

  /** /proc/net/dev, interfaces whose IFF_UP flag is set: nic -> [bytes received, bytes sent]. */
  private netIo(): Record<string, IoCounters> {
    const out: Record<string, IoCounters> = {};
    const text = this.netDev.read();
    const sample = this.samples;
    if (text !== null) {
      // two header lines, then "  name: rx_bytes rx_packets ... (8 receive fields) tx_bytes ..."
      let pos = lineEnd(text, lineEnd(text, 0) + 1) + 1;
      while (pos < text.length) {
        const eol = lineEnd(text, pos);
        const colon = text.lastIndexOf(":", eol);
        if (colon > pos && numbersIn(text, colon + 1, eol) >= 9) {
          const rx = fields[0];
          const tx = fields[8];
          const name = utf8(text.slice(pos, colon).trim());
          if (this.isUp(name, sample)) out[name] = [rx, tx];
        }
        pos = eol + 1;
      }
    }
    for (const [name, nic] of this.nics) {
      if (nic.seen !== sample) {
        nic.file.close(); // the interface is gone: release its flags file
        this.nics.delete(name);
      }
    }
    return out;
  }

  /** IFF_UP of /sys/class/net/<nic>/flags ("0x1003\n"); no flags file counts as down. */
  private isUp(name: string, sample: number): boolean {
    let nic = this.nics.get(name);
    if (!nic) {
      nic = { file: new KeptFile(`${this.sysRoot}/class/net/${name}/flags`, "whole", true), seen: sample };
      this.nics.set(name, nic);
    }
    nic.seen = sample;
    const text = nic.file.read();
    return text !== null && (Number.parseInt(text, 16) & IFF_UP) !== 0;
  }

  /**
   * /proc/diskstats, every line (psutil's disk_io_counters(perdisk=True) lists every device):
   * "major minor name reads merged sectors_read ms writes merged sectors_written ...", or the
   * four-counter partition lines of kernels before 2.6.25.
   */
  private diskIo(): Record<string, IoCounters> {
    const out: Record<string, IoCounters> = {};
    const text = this.diskstats.read();
    if (text === null) return out;
    for (let pos = 0; pos < text.length; ) {
      const eol = lineEnd(text, pos);
      // skip major and minor: the name is the third token
      let i = pos;
      for (let token = 0; token < 2 && i < eol; token++) {
        while (i < eol && text.charCodeAt(i) === 32) i++;
        while (i < eol && text.charCodeAt(i) !== 32) i++;
      }
      while (i < eol && text.charCodeAt(i) === 32) i++;
      const nameStart = i;
      while (i < eol && text.charCodeAt(i) !== 32) i++;
      if (i > nameStart) {
        const n = numbersIn(text, i, eol);
        if (n >= 7) out[text.slice(nameStart, i)] = [fields[2] * SECTOR_BYTES, fields[6] * SECTOR_BYTES];
        else if (n === 4) out[text.slice(nameStart, i)] = [fields[1] * SECTOR_BYTES, fields[3] * SECTOR_BYTES];
      }
      pos = eol + 1;
    }
    return out;
  }

  /** Mounted real partitions -> used percent (statfs each time: the usage changes, the table rarely). */
  private diskUsage(): Record<string, number> {
    const out: Record<string, number> = {};
    const text = this.mounts.read();
    if (text === null) return out;
    if (text !== this.mountsText) {
      this.mountsText = text;
      this.mountpoints = realMountpoints(text, this.realTypes);
    }
    for (const mountpoint of this.mountpoints) {
      const percent = usedPercent(mountpoint);
      if (percent !== null) out[mountpoint] = percent;
    }
    return out;
  }
}
