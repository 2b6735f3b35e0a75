// Which of some processes holds the client end of a loopback TCP connection: lets a fake (build agent, callback
// receiver) SIGKILL exactly the worker replica that is calling it. Linux /proc only, no tools needed.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Inodes of the sockets whose local port is `port` (the caller's side of a connection we accepted). */
function socketInodes(port: number): Set<string> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && fields[1].endsWith(hex)) inodes.add(`socket:[${fields[9]}]`);
    }
  }
  return inodes;
}

/** The pid among `pids` with the socket bound to `clientPort`, or null. */
export function socketOwner(clientPort: number, pids: number[]): number | null {
  const inodes = socketInodes(clientPort);
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}
