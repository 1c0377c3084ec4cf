/**
 * A terminal for interactive tests: a detached tmux session of 120×30 that
 * runs one shell command line, keys sent to it, and its screen read until a
 * pattern shows (with the suite's patience for a loaded or emulated run).
 *
 * @module
 */

import { PATIENCE } from "./under_test.ts";
import { run } from "./processes.ts";

/** A running tmux session. */
export interface Terminal {
  /** Sends keys (tmux key names: "Enter", "C-c", "Tab", or text). */
  keys(...keys: string[]): Promise<void>;
  /** The screen's text once `pattern` matches it; throws after 30 s × PATIENCE. */
  waitFor(pattern: RegExp): Promise<string>;
  /** Ends the session. */
  close(): Promise<void>;
}

/**
 * Starts `commandLine` in a new detached tmux session named `name`, with a
 * Deno cache directory of its own (`DENO_DIR`, removed on close): Deno
 * writes to a terminal when it finds its shared cache databases failing,
 * and that text would come between the screen and the test.
 *
 * @example
 * ```ts
 * const terminal = await openTerminal("t", "bash --norc -i");
 * try {
 *   await terminal.keys("echo hi", "Enter");
 *   await terminal.waitFor(/^hi$/m);
 * } finally {
 *   await terminal.close();
 * }
 * ```
 */
export async function openTerminal(
  name: string,
  commandLine: string,
): Promise<Terminal> {
  const tmux = async (...args: string[]): Promise<string> =>
    (await run(["tmux", ...args])).stdout;
  const screen = (): Promise<string> => tmux("capture-pane", "-p", "-t", name);
  const denoDir = Deno.makeTempDirSync({ prefix: "mntns-terminal-deno-" });
  // tmux's server ends with its last session; a session started while it
  // is ending fails ("server exited unexpectedly"): start it again.
  for (let attempt = 1;; attempt++) {
    const started = await run([
      "tmux",
      "new-session",
      "-d",
      "-e",
      `DENO_DIR=${denoDir}`,
      "-s",
      name,
      "-x",
      "120",
      "-y",
      "30",
      commandLine,
    ]);
    if (started.code === 0) break;
    if (attempt === 3) {
      Deno.removeSync(denoDir, { recursive: true });
      throw new Error(
        `tmux new-session failed 3 times: ${started.stderr.trim()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    keys: async (...keys) => {
      await tmux("send-keys", "-t", name, ...keys);
    },
    waitFor: async (pattern) => {
      for (let i = 0; i < 600 * PATIENCE; i++) {
        const text = await screen();
        if (pattern.test(text)) return text;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`screen never matched ${pattern}:\n${await screen()}`);
    },
    close: async () => {
      await tmux("kill-session", "-t", name);
      Deno.removeSync(denoDir, { recursive: true });
    },
  };
}

/**
 * The job-control check of an interactive shell under mntns: Ctrl-C ends a
 * foreground `sleep 100` (the shell says 130), then `exit 5` ends the shell,
 * and the session's command line must print `mntns exited 5` after it. The
 * Ctrl-C is sent once the job has printed that it runs, never after a time
 * alone.
 *
 * @example
 * ```ts
 * declare const terminal: Terminal;
 * await interruptThenExit(terminal);
 * ```
 */
export async function interruptThenExit(terminal: Terminal): Promise<void> {
  await terminal.keys("sh -c 'echo job=running; exec sleep 100'", "Enter");
  await terminal.waitFor(/^job=running$/m);
  await terminal.keys("C-c");
  await terminal.keys("echo status=$?", "Enter");
  await terminal.waitFor(/^status=130$/m);
  await terminal.keys("exit 5", "Enter");
  await terminal.waitFor(/^mntns exited 5$/m);
}
