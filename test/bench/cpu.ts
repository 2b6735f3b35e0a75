// CPU time of this process and of its child processes (kube-apiserver, etcd, temporal, a worker child), read
// from /proc, so each phase can say how many of the machine's cores it kept busy and who used them.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds by process name (`bench` is this process: REST adapter, worker, fakes and client together). */
export type CpuSnapshot = Map<string, number>;

function procStat(pid: string): { name: string; ppid: number; seconds: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After the name: state(0) ppid(1) … utime(11) stime(12)
    return { name, ppid: Number(fields[1]), seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

export function cpuSnapshot(): CpuSnapshot {
  const snapshot: CpuSnapshot = new Map();
  const self = process.cpuUsage();
  snapshot.set('bench', (self.user + self.system) / 1e6);
  if (process.platform !== 'linux') return snapshot;
  // Children that already exited (e.g. the worker child) are added to our cutime/cstime once reaped.
  const own = readFileSync('/proc/self/stat', 'utf8');
  const fields = own.slice(own.lastIndexOf(')') + 2).split(' ');
  snapshot.set('exited-children', (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND);
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    const stat = procStat(pid);
    if (!stat || stat.ppid !== process.pid) continue;
    const name = stat.name === 'node' ? 'worker-child' : stat.name;
    snapshot.set(name, (snapshot.get(name) ?? 0) + stat.seconds);
  }
  return snapshot;
}

/** Whole-machine busy and steal seconds (all CPUs), from the first line of /proc/stat. */
function machineSeconds(): { busy: number; steal: number } {
  if (process.platform !== 'linux') return { busy: NaN, steal: NaN };
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal …
  const busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6];
  return { busy: busy / TICKS_PER_SECOND, steal: ticks[7] / TICKS_PER_SECOND };
}

export function snapshotAll(): { processes: CpuSnapshot; machine: { busy: number; steal: number } } {
  return { processes: cpuSnapshot(), machine: machineSeconds() };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Average cores used per process between two snapshots over `wallMs`, their total, the whole machine's busy
 * cores, and what other processes of the machine (not ours) used meanwhile: a busy neighbour skews figures.
 */
export function coresUsed(
  before: ReturnType<typeof snapshotAll>,
  after: ReturnType<typeof snapshotAll>,
  wallMs: number,
): Record<string, number> {
  const seconds = wallMs / 1000;
  const result: Record<string, number> = {};
  let total = 0;
  for (const [name, cpu] of after.processes) {
    const cores = (cpu - (before.processes.get(name) ?? 0)) / seconds;
    result[name] = round2(cores);
    total += cores;
  }
  result.total = round2(total);
  const machine = (after.machine.busy - before.machine.busy) / seconds;
  result.machineBusy = round2(machine);
  result.otherProcesses = round2(Math.max(0, machine - total));
  result.machineSteal = round2((after.machine.steal - before.machine.steal) / seconds);
  return result;
}
