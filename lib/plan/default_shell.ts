/**
 * The command `run` and `isolate` start when none is given, and how they
 * read a variable of the caller's environment.
 *
 * @module
 */

/**
 * `$SHELL`, else `/bin/sh`, started as a login shell the way util-linux
 * does (`argv[0]` is `-bash`).
 *
 * @example
 * ```ts
 * defaultShell("/bin/bash"); // { file: "/bin/bash", argv: ["-bash"] }
 * ```
 */
export function defaultShell(
  shell: string | undefined,
): { file: string; argv: string[] } {
  const file = shell || "/bin/sh";
  return { file, argv: [`-${file.slice(file.lastIndexOf("/") + 1)}`] };
}

/**
 * The value of `NAME` in an environment as getenv(3) finds it: the first
 * `NAME=` entry.
 *
 * @example
 * ```ts
 * environmentValue(["SHELL=/bin/bash"], "SHELL"); // "/bin/bash"
 * ```
 */
export function environmentValue(
  env: readonly string[],
  name: string,
): string | undefined {
  return env.find((entry) => entry.startsWith(`${name}=`))?.slice(
    name.length + 1,
  );
}
