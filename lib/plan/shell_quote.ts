/**
 * Words for a POSIX shell (and zsh), in single quotes: what `--dry-run` and
 * the bash and zsh completion scripts print.
 *
 * @module
 */

/**
 * A word in single quotes, each `'` in it written `'\''`.
 *
 * @example
 * ```ts
 * singleQuoted("it's"); // "'it'\\''s'"
 * ```
 */
export function singleQuoted(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
