/**
 * `deno task rootfs DIR [PROGRAM...]`: a small root filesystem for
 * `mntns run --rootfs DIR`, made from this machine's own programs and the
 * shared libraries they load (no downloads): `/bin` with the programs below
 * (and any PROGRAM named), `/etc/passwd` and `/etc/group` with root and
 * nobody, and the empty `/proc`, `/tmp` and `/mnt`. The tests make their
 * `--rootfs` roots with {@linkcode makeMiniRoot} too.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { findOnPath } from "./test_tools.ts";

/** The programs every mini root holds, in /bin. */
export const MINI_ROOT_PROGRAMS = [
  "sh",
  "ls",
  "cat",
  "touch",
  "mkdir",
  "hostname",
  "sleep",
];

/** What `deno task rootfs` adds, for the documentation's examples. */
const ROOTFS_TASK_PROGRAMS = ["id", "grep", "head", "wc", "stat", "echo"];

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
    const found = findOnPath(program, Deno.env.get("PATH") ?? "");
    if (found === null) {
      throw new Error(`${program}: not found on PATH — install it first`);
    }
    const path = Deno.realPathSync(found);
    Deno.copyFileSync(path, join(dir, "bin", program));
    const ldd = await new Deno.Command("ldd", { args: [path] }).output();
    const libraries = new TextDecoder().decode(ldd.stdout);
    for (const match of libraries.matchAll(/(\/\S+\.so[^\s]*)/g)) {
      const library = match[1];
      const target = join(dir, library);
      Deno.mkdirSync(dirname(target), { recursive: true });
      Deno.copyFileSync(library, target);
    }
  }
  Deno.writeTextFileSync(join(dir, "etc", "marker"), "mini root\n");
}

if (import.meta.main) {
  const [dir, ...programs] = Deno.args;
  if (dir === undefined || dir === "") {
    console.error("rootfs: give the directory to fill: deno task rootfs DIR");
    Deno.exit(2);
  }
  try {
    await makeMiniRoot(dir, [...ROOTFS_TASK_PROGRAMS, ...programs]);
  } catch (error) {
    console.error(`rootfs: ${dir}: ${(error as Error).message}`);
    Deno.exit(1);
  }
  Deno.writeTextFileSync(
    join(dir, "etc", "passwd"),
    "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n",
  );
  Deno.writeTextFileSync(
    join(dir, "etc", "group"),
    "root:x:0:\nnogroup:x:65534:\n",
  );
  console.log(`rootfs: wrote ${dir}`);
}
