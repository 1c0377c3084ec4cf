/**
 * What mntns reads of `/proc/PID/stat`: a process's parent and its start
 * time.
 *
 * @module
 */

/**
 * A process's parent and start time (clock ticks after boot), from
 * `/proc/PID/stat`; null when the process is gone.
 *
 * @example
 * ```ts
 * processStat(Deno.pid)?.ppid; // the pid of mntns's parent
 * ```
 */
export function processStat(
  pid: number,
): { ppid: number; start: number } | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch {
    return null;
  }
  // The command name, in parentheses, may hold anything: fields follow the last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { ppid: Number(fields[1]), start: Number(fields[19]) };
}
