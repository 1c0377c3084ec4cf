/**
 * A tiny root filesystem for `--rootfs` tests: a few of this machine's
 * programs and the shared libraries they load, copied into a directory.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { run } from "./helpers.ts";

/** The programs the mini root holds, in /bin. */
export const MINI_ROOT_PROGRAMS = [
  "sh",
  "ls",
  "cat",
  "touch",
  "mkdir",
  "hostname",
  "sleep",
];

/**
 * Copies the programs (found in PATH) and their libraries into `dir`, with
 * the empty directories a root needs (`/proc`, `/tmp`, `/mnt`); `extra`
 * names more programs to copy.
 *
 * @example
 * ```ts
 * await makeMiniRoot(Deno.makeTempDirSync(), ["id", "head"]);
 * ```
 */
export async function makeMiniRoot(
  dir: string,
  extra: readonly string[] = [],
): Promise<void> {
  for (const sub of ["bin", "proc", "tmp", "mnt", "etc"]) {
    Deno.mkdirSync(join(dir, sub), { recursive: true });
  }
  for (const program of [...MINI_ROOT_PROGRAMS, ...extra]) {
    const path = Deno.realPathSync(
      (await run(["sh", "-c", `command -v ${program}`])).stdout.trim(),
    );
    Deno.copyFileSync(path, join(dir, "bin", program));
    const ldd = (await run(["ldd", path])).stdout;
    for (const match of ldd.matchAll(/(\/\S+\.so[^\s]*)/g)) {
      const library = match[1];
      const target = join(dir, library);
      Deno.mkdirSync(dirname(target), { recursive: true });
      Deno.copyFileSync(library, target);
    }
  }
  Deno.writeTextFileSync(join(dir, "etc", "marker"), "mini root\n");
}
