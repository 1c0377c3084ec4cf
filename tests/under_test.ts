/**
 * The mntns under test: the words that start it (source, bundle or binary,
 * `MNTNS_UNDER_TEST`), the deno that runs it, its architecture and how
 * patient a test is with it.
 *
 * @module
 */

import { singleQuoted as shellQuote } from "../lib/plan/shell_quote.ts";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT_DIR: string = fileURLToPath(new URL("..", import.meta.url));

/**
 * The deno that runs mntns's source or bundle: `MNTNS_DENO` when it names one
 * (`deno task test:arm64` names the aarch64 deno, run under emulation), else
 * the deno running the tests.
 */
export const MNTNS_DENO: string = Deno.env.get("MNTNS_DENO") || Deno.execPath();

/**
 * The words that start mntns: `deno run -A main.ts` by default; the bundle or
 * a compiled binary when `MNTNS_UNDER_TEST` names one (a `.js` file runs under
 * {@linkcode MNTNS_DENO}).
 */
export const MNTNS: readonly string[] = mntnsCommand(
  Deno.env.get("MNTNS_UNDER_TEST"),
);

function mntnsCommand(underTest: string | undefined): string[] {
  if (underTest === undefined || underTest === "") {
    return [MNTNS_DENO, "run", "-A", `${ROOT_DIR}main.ts`];
  }
  return underTest.endsWith(".js")
    ? [MNTNS_DENO, "run", "-A", underTest]
    : [underTest];
}

/** ELF `e_machine` numbers of the architectures mntns knows. */
const ELF_MACHINES: Readonly<Record<number, string>> = {
  62: "x86_64",
  183: "aarch64",
};

/**
 * The architecture an executable is built for, from its ELF header: a
 * `Deno.build.arch` name, `machine N` for another one, or null when it is
 * not an ELF file.
 *
 * @example
 * ```ts
 * elfArchitecture(Deno.execPath()); // "x86_64"
 * ```
 */
export function elfArchitecture(path: string): string | null {
  const file = Deno.openSync(path);
  try {
    const header = new Uint8Array(20);
    if (file.readSync(header) !== header.length) return null;
    if (header[0] !== 0x7f || header[1] !== 0x45) return null;
    const machine = new DataView(header.buffer).getUint16(18, true);
    return ELF_MACHINES[machine] ?? `machine ${machine}`;
  } finally {
    file.close();
  }
}

/** The architecture the program that runs mntns is built for. */
export const MNTNS_ARCH: string = elfArchitecture(MNTNS[0]) ?? Deno.build.arch;

/**
 * Whether mntns runs under emulation: its program is built for another
 * architecture than the one running the tests, so qemu-user runs it
 * (through binfmt_misc; `deno task test:arm64`). Tests that depend on what
 * qemu-user changes say so where they check it.
 */
export const MNTNS_EMULATED: boolean = MNTNS_ARCH !== Deno.build.arch;

/**
 * How many times longer a test waits for mntns than natively: a Deno start
 * takes about 0.02 s natively and 1.4 to 5 s under qemu-user.
 */
export const PATIENCE: number = MNTNS_EMULATED ? 30 : 1;

/** The mntns command as shell words, for `exec` in scripts. */
export const MNTNS_SHELL_WORDS: string = MNTNS.map(shellQuote).join(" ");

/** A shell function `mntns` that runs mntns, put before every script. */
export const MNTNS_FUNCTION = `mntns() { ${MNTNS_SHELL_WORDS} "$@"; }\n`;
