/**
 * Option parsing in the manner of `node:util` `parseArgs` (strict mode):
 * long options with values (`--pid 1`, `--pid=1`), booleans, short aliases
 * (`-h`, `-rf`), long aliases (`--task` for `--pid`), repeatable options,
 * options whose value is optional (`--color`, `--color=never`, as getopt's
 * `optional_argument`), `--` ending the options, and tokens that keep the
 * order of what was given.
 *
 * mntns used `node:util` `parseArgs` first. Importing any `node:` module
 * starts Deno's Node compatibility layer, which costs more than the runtime's
 * own start, so the tool parses its options itself.
 *
 * @module
 */

/** One option's declaration. */
export interface OptionSpec {
  /** Whether it takes a value. */
  type: "string" | "boolean";
  /** A one-letter alias (`h` for `-h`). */
  short?: string;
  /** Whether it may be given more than once (values collect in an array). */
  multiple?: boolean;
  /** The value when it is not given. */
  default?: string;
  /** Other long names for it (`["task"]` for `--pid`); values are stored under its own name. */
  aliases?: readonly string[];
  /**
   * Makes the value optional: the value of the bare option (`--color` is
   * `--color=auto`); a value is then only taken after `=` (or, for the short
   * form, in the same word), as getopt's `optional_argument`.
   */
  implied?: string;
  /**
   * The words its value may be, for help, completion and the man page; the
   * command checks the value itself (and names the choices when it is wrong).
   */
  choices?: readonly string[];
}

/** Declarations by long name. */
export type OptionsConfig = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S extends { type: "string" }
  ? S extends { multiple: true } ? string[] : string
  : S extends { multiple: true } ? boolean[]
  : boolean;

/** Parsed values: options with a default are always there. */
export type OptionValues<T extends OptionsConfig> =
  & {
    -readonly [K in keyof T as T[K] extends { default: string } ? K : never]:
      ValueOf<T[K]>;
  }
  & {
    -readonly [K in keyof T as T[K] extends { default: string } ? never : K]?:
      ValueOf<T[K]>;
  };

/** One option as it was given, in order. */
export interface OptionToken {
  /** Its long name. */
  name: string;
  /** Its value, for options that take one. */
  value?: string;
}

/** What {@linkcode parseArguments} returns. */
export interface ParsedArguments<T extends OptionsConfig> {
  /** Values by long name. */
  values: OptionValues<T>;
  /** Words that are not options. */
  positionals: string[];
  /** The options in the order given. */
  tokens: OptionToken[];
}

/** A word that does not fit the declarations; the message is one line. */
export class ArgumentError extends Error {
  /** The option given that nothing declares (`--x`, `-m`), if that was it. */
  readonly unknown: string | undefined;

  /**
   * Names the problem, as `unrecognized option '--x'`.
   *
   * @example
   * ```ts
   * throw new ArgumentError("unrecognized option '--x'", "--x");
   * ```
   */
  constructor(message: string, unknown?: string) {
    super(message);
    this.name = "ArgumentError";
    this.unknown = unknown;
  }
}

/**
 * Parses words against option declarations.
 *
 * @example
 * ```ts
 * parseArguments({
 *   args: ["--pid", "1", "/x"],
 *   options: { pid: { type: "string" } },
 *   allowPositionals: true,
 * });
 * // { values: { pid: "1" }, positionals: ["/x"], tokens: [{ name: "pid", value: "1" }] }
 * ```
 */
export function parseArguments<T extends OptionsConfig>(
  init: { args: readonly string[]; options: T; allowPositionals: boolean },
): ParsedArguments<T> {
  const { args, options, allowPositionals } = init;
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  const tokens: OptionToken[] = [];
  const shorts = new Map(
    Object.entries(options).flatMap(([name, spec]) =>
      spec.short ? [[spec.short, name] as const] : []
    ),
  );
  const longs = new Map(
    Object.entries(options).flatMap(([name, spec]) =>
      [name, ...spec.aliases ?? []].map((long) => [long, name] as const)
    ),
  );
  const store = (name: string, value: string | undefined): void => {
    const spec = options[name];
    const item = spec.type === "string" ? value! : true;
    if (spec.multiple) {
      ((values[name] ??= []) as unknown[]).push(item);
    } else {
      values[name] = item;
    }
    tokens.push(value === undefined ? { name } : { name, value });
  };
  const positional = (word: string): void => {
    if (!allowPositionals) {
      throw new ArgumentError(`unexpected argument '${word}'`);
    }
    positionals.push(word);
  };
  for (let index = 0; index < args.length; index++) {
    const word = args[index];
    if (word === "--") {
      args.slice(index + 1).forEach(positional);
      break;
    }
    if (word.startsWith("--")) {
      const equals = word.indexOf("=");
      const given = word.slice(2, equals < 0 ? undefined : equals);
      const name = longs.get(given);
      if (name === undefined) {
        throw new ArgumentError(
          `unrecognized option '--${given}'`,
          `--${given}`,
        );
      }
      const spec = options[name];
      if (spec.type === "boolean") {
        if (equals >= 0) {
          throw new ArgumentError(
            `option '--${given}' does not take an argument`,
          );
        }
        store(name, undefined);
      } else if (equals >= 0) {
        store(name, word.slice(equals + 1));
      } else if (spec.implied !== undefined) {
        store(name, spec.implied);
      } else if (index + 1 < args.length) {
        store(name, args[++index]);
      } else {
        throw new ArgumentError(
          `option '--${given} <value>' argument missing`,
        );
      }
      continue;
    }
    if (word.startsWith("-") && word !== "-") {
      for (let letter = 1; letter < word.length; letter++) {
        const name = shorts.get(word[letter]);
        if (name === undefined) {
          throw new ArgumentError(
            `unrecognized option '-${word[letter]}'`,
            `-${word[letter]}`,
          );
        }
        if (options[name].type === "string") {
          const rest = word.slice(letter + 1);
          const implied = options[name].implied;
          if (rest === "" && implied !== undefined) {
            store(name, implied);
            break;
          }
          if (rest === "" && index + 1 >= args.length) {
            throw new ArgumentError(
              `option '-${word[letter]} <value>' argument missing`,
            );
          }
          store(name, rest === "" ? args[++index] : rest);
          break;
        }
        store(name, undefined);
      }
      continue;
    }
    positional(word);
  }
  for (const [name, spec] of Object.entries(options)) {
    if (spec.default !== undefined && values[name] === undefined) {
      values[name] = spec.default;
    }
  }
  return { values: values as OptionValues<T>, positionals, tokens };
}
