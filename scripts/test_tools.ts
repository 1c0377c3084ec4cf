/**
 * `deno task tools`: the programs the tests drive or compare mntns with,
 * found on PATH before any test runs. As root, with `apt-get` on PATH, the
 * missing ones are installed from Debian; otherwise, or when an install
 * leaves one missing, it names them and the packages that hold them, in one
 * line, and exits 1. `deno task ci` runs it first.
 *
 * @module
 */

/** A program the tests need, and the Debian package that holds it. */
export interface TestTool {
  /** The command, as the tests start it. */
  command: string;
  /** The Debian package that installs it. */
  pkg: string;
  /** What the tests use it for. */
  use: string;
}

/** Every program the tests start, beside deno, bash and coreutils. */
export const TEST_TOOLS: readonly TestTool[] = [
  { command: "unshare", pkg: "util-linux", use: "oracle of isolate and run" },
  { command: "findmnt", pkg: "util-linux", use: "oracle of show and watch" },
  { command: "nsenter", pkg: "util-linux", use: "oracle of enter" },
  { command: "setpriv", pkg: "util-linux", use: "tests as another user" },
  { command: "mount", pkg: "mount", use: "oracle of set; test topologies" },
  { command: "script", pkg: "bsdutils", use: "colour on a pty" },
  { command: "perl", pkg: "perl-base", use: "a raw mount(2) call" },
  { command: "ldd", pkg: "libc-bin", use: "the mini root's libraries" },
  { command: "tmux", pkg: "tmux", use: "interactive shells" },
  { command: "ip", pkg: "iproute2", use: "the loopback of run" },
  { command: "pgrep", pkg: "procps", use: "leftover processes" },
  { command: "ps", pkg: "procps", use: "processes in a run" },
  { command: "hostname", pkg: "hostname", use: "hostnames of run" },
  { command: "bwrap", pkg: "bubblewrap", use: "oracle of the rootfs options" },
  { command: "zsh", pkg: "zsh", use: "the zsh completion" },
  { command: "fish", pkg: "fish", use: "the fish completion" },
  { command: "mandoc", pkg: "mandoc", use: "the man page's lint" },
  { command: "man", pkg: "man-db", use: "the man page rendered" },
];

/**
 * Where `command` is on `path` (a PATH value), or null.
 *
 * @example
 * ```ts
 * findOnPath("sh", "/usr/bin:/bin"); // "/usr/bin/sh"
 * ```
 */
export function findOnPath(command: string, path: string): string | null {
  for (const dir of path.split(":")) {
    if (dir === "") continue;
    try {
      const info = Deno.statSync(`${dir}/${command}`);
      if (info.isFile && ((info.mode ?? 0) & 0o111) !== 0) {
        return `${dir}/${command}`;
      }
    } catch {
      // not in this directory
    }
  }
  return null;
}

/**
 * The packages that hold the tools missing from `path`, each once, in the
 * order of {@linkcode TEST_TOOLS}.
 *
 * @example
 * ```ts
 * missingPackages("/nonexistent").includes("zsh"); // true
 * ```
 */
export function missingPackages(path: string): string[] {
  const missing = TEST_TOOLS.filter((tool) =>
    findOnPath(tool.command, path) === null
  ).map((tool) => tool.pkg);
  return [...new Set(missing)];
}

/**
 * Installs Debian packages with `apt-get` (waiting for dpkg's lock); false
 * when a step failed (apt-get has said why).
 *
 * @example
 * ```ts
 * aptInstall(["tmux"]); // true once tmux is installed
 * ```
 */
export function aptInstall(packages: readonly string[]): boolean {
  const apt = ["-o", "DPkg::Lock::Timeout=600", "-qq"];
  for (const args of [["update"], ["install", "-y", ...packages]]) {
    const result = new Deno.Command("apt-get", {
      args: [...apt, ...args],
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdout: "inherit",
      stderr: "inherit",
    }).outputSync();
    if (!result.success) return false;
  }
  return true;
}

if (import.meta.main) {
  const path = Deno.env.get("PATH") ?? "";
  let missing = missingPackages(path);
  if (
    missing.length > 0 && Deno.uid() === 0 &&
    findOnPath("apt-get", path) !== null
  ) {
    console.error(`tools: installing ${missing.join(" ")}`);
    if (aptInstall(missing)) missing = missingPackages(path);
  }
  if (missing.length > 0) {
    const commands = TEST_TOOLS.filter((tool) => missing.includes(tool.pkg))
      .map((tool) => tool.command);
    console.error(
      `tools: the tests need ${
        commands.join(", ")
      }, not found on PATH — install them as root: apt-get install ${
        missing.join(" ")
      }`,
    );
    Deno.exit(1);
  }
}
