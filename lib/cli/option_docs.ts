/**
 * A command's options as the parser declares them, joined with what its
 * `--help` says of each (the value's placeholder, the explanation), and
 * every way the two disagree. Completion scripts and the man page are built
 * from these; a test requires that every command's help and declarations
 * agree.
 *
 * @module
 */

import type { OptionsConfig } from "./args.ts";
import { helpBlocks, type HelpOptionForm, optionForms } from "./help_text.ts";

/** One option: the parser's declaration with the help's words for it. */
export interface OptionDoc {
  /** Its name (the key of its declaration): `pid`. */
  name: string;
  /** Every flag that gives it: `-N`, `--pid`, `--task`. */
  flags: string[];
  /** Whether it takes a value. */
  takesValue: boolean;
  /** Whether the value may be left out (`--color[=WHEN]`). */
  optionalValue: boolean;
  /** The value's placeholder in the help (`N`, `COL,...`), or null. */
  placeholder: string | null;
  /** The words the value may be, when the declaration lists them. */
  choices: readonly string[] | null;
  /** Whether it may be given more than once. */
  multiple: boolean;
  /** What the help says it does. */
  text: string;
}

/** What {@linkcode optionDocs} finds. */
export interface OptionDocs {
  /** Every declared option, in declaration order. */
  options: OptionDoc[];
  /** Each way the help and the declarations disagree, as a sentence. */
  mismatches: string[];
}

/** Every flag of a declared option: its short form, name and aliases. */
function declaredFlags(
  name: string,
  spec: OptionsConfig[string],
): string[] {
  return [
    ...spec.short === undefined ? [] : [`-${spec.short}`],
    `--${name}`,
    ...(spec.aliases ?? []).map((alias) => `--${alias}`),
  ];
}

/**
 * Joins declared options with the `Options:` entries of a help text, and
 * lists where they disagree: an option the help leaves out, a flag of an
 * option missing from its entry, a flag the help gives that nothing
 * declares, a value the help shows for an option that takes none (or the
 * reverse), and an optional value not written `[=VALUE]`.
 *
 * @example
 * ```ts
 * optionDocs({ json: { type: "boolean", short: "J" } }, "Options:\n  -J, --json  JSON\n").mismatches; // []
 * ```
 */
export function optionDocs(
  declared: OptionsConfig,
  help: string,
): OptionDocs {
  const mismatches: string[] = [];
  const entries: { forms: HelpOptionForm[]; text: string }[] = [];
  for (const block of helpBlocks(help)) {
    if (block.kind !== "entries" || block.title !== "Options") continue;
    for (const entry of block.entries) {
      const forms = optionForms(entry.term);
      if (forms === null) {
        mismatches.push(`'${entry.term}' in the help is not a list of options`);
      } else {
        entries.push({ forms, text: entry.text });
      }
    }
  }
  const owner = new Map<string, string>();
  for (const [name, spec] of Object.entries(declared)) {
    for (const flag of declaredFlags(name, spec)) owner.set(flag, name);
  }
  for (const { forms } of entries) {
    for (const form of forms) {
      if (!owner.has(form.flag)) {
        mismatches.push(`the help gives ${form.flag}, which is not an option`);
      }
    }
  }
  const options = Object.entries(declared).map(([name, spec]): OptionDoc => {
    const flags = declaredFlags(name, spec);
    const entry = entries.find(({ forms }) =>
      forms.some((form) => form.flag === `--${name}`)
    );
    const takesValue = spec.type === "string";
    const optionalValue = spec.implied !== undefined;
    const form = entry?.forms.find((each) => each.flag === `--${name}`);
    if (entry === undefined || form === undefined) {
      mismatches.push(`--${name} is not in the help`);
    } else {
      const given = new Set(entry.forms.map((each) => each.flag));
      for (const flag of flags) {
        if (!given.has(flag)) {
          mismatches.push(`--${name}'s ${flag} is not in its help entry`);
        }
      }
      if (takesValue !== (form.value !== null)) {
        mismatches.push(
          takesValue
            ? `--${name} takes a value, but the help shows none`
            : `--${name} takes no value, but the help shows ${form.value}`,
        );
      } else if (optionalValue !== form.optional) {
        mismatches.push(
          optionalValue
            ? `--${name}'s value is optional: write --${name}[=${form.value}]`
            : `--${name}'s value is not optional, but the help shows [=${form.value}]`,
        );
      }
    }
    return {
      name,
      flags,
      takesValue,
      optionalValue,
      placeholder: takesValue ? form?.value ?? "VALUE" : null,
      choices: spec.choices ?? null,
      multiple: spec.multiple === true,
      text: entry?.text ?? "",
    };
  });
  return { options, mismatches };
}
