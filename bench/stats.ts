// Helpers shared by the produce and fanout benchmarks: a fixed-bucket latency histogram (no
// dependency), CPU/RSS readings of a process tree from /proc, and a plain-text table printer.
import { readdirSync, readFileSync } from 'node:fs';

/** Latency histogram with 0.1 ms buckets up to 60 s (values above are clamped). */
export class Latency {
  private static readonly RESOLUTION = 10; // buckets per millisecond
  private readonly buckets = new Uint32Array(60_000 * Latency.RESOLUTION + 1);
  count = 0;
  max = 0;

  record(ms: number): void {
    const value = ms < 0 ? 0 : ms;
    const index = Math.min(this.buckets.length - 1, Math.round(value * Latency.RESOLUTION));
    this.buckets[index]!++;
    this.count++;
    if (value > this.max) this.max = value;
  }

  /** The q-quantile (0–1) in milliseconds; NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return i / Latency.RESOLUTION;
    }
    return this.max;
  }

  reset(): void {
    this.buckets.fill(0);
    this.count = 0;
    this.max = 0;
  }
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
  cpuTicks: number;
  rssKb: number;
}

function readProc(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may hold spaces: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // fields[0] is field 3 (state); utime = field 14, stime = field 15.
    const ppid = Number(fields[1]);
    const cpuTicks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+)/.exec(status);
    return { pid, ppid, comm, cpuTicks, rssKb: rss ? Number(rss[1]) : 0 };
  } catch {
    return undefined;
  }
}

/** The process and all its descendants. */
function processTree(root: number): ProcInfo[] {
  const all: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const info = readProc(Number(entry));
    if (info) all.push(info);
  }
  const inTree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const info of all) {
      if (!inTree.has(info.pid) && inTree.has(info.ppid)) {
        inTree.add(info.pid);
        grew = true;
      }
    }
  }
  return all.filter((info) => inTree.has(info.pid));
}

/** CPU and memory of a process tree, split into node processes and the rest (e.g. PostgreSQL). */
export interface TreeSample {
  at: number;
  /** CPU ticks per pid, so a process that exits between two samples does not count negative. */
  ticks: Map<number, number>;
  nodeTicks: number;
  otherTicks: number;
  nodeRssKb: number;
  otherRssKb: number;
}

export function sampleTree(root: number): TreeSample {
  const sample: TreeSample = {
    at: performance.now(),
    ticks: new Map(),
    nodeTicks: 0,
    otherTicks: 0,
    nodeRssKb: 0,
    otherRssKb: 0,
  };
  for (const info of processTree(root)) {
    sample.ticks.set(info.pid, info.cpuTicks);
    if (info.comm === 'node' || info.comm.startsWith('tsx')) {
      sample.nodeTicks += info.cpuTicks;
      sample.nodeRssKb += info.rssKb;
    } else {
      sample.otherTicks += info.cpuTicks;
      sample.otherRssKb += info.rssKb;
    }
  }
  return sample;
}

/** CPU use between two samples, in percent of one core, and RSS (MB) at the end. */
export interface TreeUsage {
  nodeCpu: number;
  otherCpu: number;
  nodeRssMb: number;
  otherRssMb: number;
}

export function treeUsage(from: TreeSample, to: TreeSample): TreeUsage {
  const seconds = (to.at - from.at) / 1000;
  // Ticks of processes that exited in between are lost; never count them as negative.
  let exitedTicks = 0;
  for (const [pid, ticks] of from.ticks) if (!to.ticks.has(pid)) exitedTicks += ticks;
  const percent = (ticks: number) => (seconds > 0 ? (ticks / CLOCK_TICKS / seconds) * 100 : 0);
  return {
    nodeCpu: percent(to.nodeTicks - from.nodeTicks),
    otherCpu: percent(Math.max(0, to.otherTicks - (from.otherTicks - exitedTicks))),
    nodeRssMb: to.nodeRssKb / 1024,
    otherRssMb: to.otherRssKb / 1024,
  };
}

/** CPU of this process between two readings of `process.cpuUsage()`, in percent of one core. */
export function selfCpu(from: NodeJS.CpuUsage, fromAt: number): number {
  const used = process.cpuUsage(from);
  const seconds = (performance.now() - fromAt) / 1000;
  return seconds > 0 ? ((used.user + used.system) / 1e6 / seconds) * 100 : 0;
}

/** Prints rows of cells under a header; the first column is left-aligned, the rest right-aligned. */
export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

export const fmt = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
