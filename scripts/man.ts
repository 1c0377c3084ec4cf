/**
 * `deno task man [OUT]`: writes the man page `dist/mntns.1` (or OUT), made
 * from the command specs the parser and `--help` use (lib/cli/command_spec.ts),
 * dated by the release (deno.json), with the seed experiments — a container's
 * /proc leaking to a host whose / is shared, peer groups across namespaces,
 * a rootfs whose parent is shared — as its EXAMPLES.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { loadCommandTable } from "../lib/commands.ts";
import {
  type CommandSpec,
  type HelpSection,
  isBlockList,
  optionHelpEntries,
} from "../lib/cli/command_spec.ts";
import { RELEASE_DATE, VERSION } from "../lib/version.ts";

/**
 * Text for a roff line: backslashes and minus signs escaped, and a leading
 * `.` or `'` made literal.
 *
 * @example
 * ```ts
 * roffText("--pid N"); // "\\-\\-pid N"
 * ```
 */
export function roffText(text: string): string {
  const escaped = text.replaceAll("\\", "\\e").replaceAll("-", "\\-");
  return /^[.']/.test(escaped) ? `\\&${escaped}` : escaped;
}

/**
 * Roff text broken into lines of at most 79 bytes at spaces (roff fills
 * them again), none starting with `.` or `'`.
 *
 * @example
 * ```ts
 * roffLines("a long paragraph ..."); // ["a long paragraph", "..."]
 * ```
 */
export function roffLines(text: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > 79) {
      lines.push(line);
      line = "";
    }
    line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.map((each) => /^[.']/.test(each) ? `\\&${each}` : each);
}

/** An option term: flags in bold, the value's placeholder in italics. */
function optionTerm(term: string): string {
  return term.split(", ").map((form) => {
    const match = /^(-\S*?)(\[=|=| )?(\S*?)(\])?$/.exec(form);
    if (match === null || match[2] === undefined) {
      return `\\fB${roffText(form)}\\fR`;
    }
    return `\\fB${roffText(match[1])}\\fR${roffText(match[2])}\\fI${
      roffText(match[3])
    }\\fR${match[4] ?? ""}`;
  }).join(", ");
}

/** Help text on one line: its lines trimmed and joined by spaces. */
function oneLine(text: string): string {
  return text.split("\n").map((line) => line.trim()).join(" ");
}

function entriesRoff(
  title: string,
  entries: readonly (readonly [string, string])[],
  term: (term: string) => string,
): string[] {
  return [
    ".PP",
    `\\fB${roffText(title)}:\\fR`,
    ...entries.flatMap(([name, text]) => [
      ".TP",
      term(name),
      ...text === "" ? [] : roffLines(roffText(oneLine(text))),
    ]),
  ];
}

function blockRoff(section: HelpSection): string[] {
  if (isBlockList(section)) return section.flatMap(blockRoff);
  if ("paragraph" in section) {
    return [".PP", ...roffLines(roffText(oneLine(section.paragraph)))];
  }
  if ("list" in section) {
    return section.list.flatMap((item) => [
      ".IP \\(bu 2",
      ...roffLines(roffText(oneLine(item))),
    ]);
  }
  if ("literal" in section) {
    return [
      ".PP",
      ".EX",
      ...section.literal.split("\n").map((line) =>
        roffText(line.replace(/^ {2}/, ""))
      ),
      ".EE",
    ];
  }
  return entriesRoff(
    section.title,
    section.entries,
    (term) => `\\fB${roffText(term)}\\fR`,
  );
}

function optionsRoff(spec: CommandSpec): string[] {
  return entriesRoff(
    "Options",
    optionHelpEntries(spec.options).map(({ term, text }) => [term, text]),
    optionTerm,
  );
}

function commandRoff(spec: CommandSpec): string[] {
  return [
    `.SS ${roffText(oneLine(spec.usage))}`,
    ...spec.about.flatMap(blockRoff),
    ...optionsRoff(spec),
    ...spec.after.flatMap(blockRoff),
  ];
}

/** The seed experiments, in mntns's words: the EXAMPLES section. */
const EXAMPLES = String.raw`A container's /proc that reaches the host.
Under systemd, / is shared.
A program that unshares its mount namespace and mounts a fresh /proc without
first making / private sends that mount back through the peer group: the
host's /proc is covered, and when the program exits, every process directory
is gone from it ("Error, do this: mount \-t proc proc /proc").
See the hazard, then run the same thing safely:
.PP
.EX
# mntns propagation check
# mntns run \-\- ps \-ef
.EE
.PP
.B mntns run
makes / private, recursively, before it mounts anything, and mounts /proc
only after making /proc private: the host's /proc is untouched.
.PP
Peer groups, across namespaces.
Two shared mounts /x and /y; /z a bind of /x, so a member of its peer group;
a second namespace made with the propagation unchanged, whose copies join
the same groups; proc mounted at /z/foo.
The mount appears at /x/foo too, in both namespaces:
.PP
.EX
# mkdir \-p /x /y /z
# mount \-t tmpfs hx /x && mount \-\-make\-shared /x
# mount \-t tmpfs hy /y && mount \-\-make\-shared /y
# mntns isolate \-\-propagation unchanged \-\- sleep infinity &
# mount \-\-bind /x /z
# mntns propagation reach /z \-\-all\-namespaces
# mkdir /z/foo && mount \-t proc proc /z/foo
# mntns propagation show /x /y /z /x/foo /z/foo
# mntns propagation peers \-\-all\-namespaces
.EE
.PP
/z was mounted after the second namespace was made, so it is not there;
/x/foo is, because /x there is a peer of /x here.
.PP
A mount that stays inside.
In a private namespace (unshare \-m \-u) an ISO image mounted at /mnt/iso2
is seen there only; unmounting /mnt/iso1 there leaves the host's:
.PP
.EX
# mntns isolate \-\-uts \-\- sh \-c 'mount 2.iso /mnt/iso2; findmnt /mnt/iso2'
# mntns propagation show /mnt/iso2
.EE
.PP
A bind that is shared.
iso1 bound onto iso2 and made shared; a namespace made with the
propagation unchanged; a bind at iso2/subfoo there shows in iso1 too:
.PP
.EX
# mount \-\-bind iso1 iso2 && mount \-\-make\-shared iso2
# mntns isolate \-\-propagation unchanged \-\- sh \-c 'mount \-\-bind sub iso2/subfoo'
# mntns propagation peers
.EE
.PP
A root filesystem whose parent mount is shared.
pivot_root(2) fails with EINVAL; runc makes the parent private first, and so
does
.BR "mntns run \-\-rootfs" :
.PP
.EX
# mntns propagation check /srv/rootfs
# mntns run \-\-rootfs /srv/rootfs \-\-dry\-run \-\- /bin/sh
# mntns run \-\-rootfs /srv/rootfs \-\- /bin/sh
.EE
.PP
Containers that receive but never send (docker's MountFlags=slave):
.PP
.EX
# mntns isolate \-\-propagation slave \-\- mntns propagation show \-o TARGET,PROPAGATION,MASTER /
.EE
.PP
Columns for scripts, as findmnt's:
.PP
.EX
# mntns propagation show \-rn \-o TARGET,PROPAGATION,PEER \-t tmpfs
.EE`;

/**
 * The man page, as roff.
 *
 * @example
 * ```ts
 * (await manPage()).startsWith(".TH MNTNS 1"); // true
 * ```
 */
export async function manPage(): Promise<string> {
  const table = await loadCommandTable();
  const [description] = table.main.about;
  const lines = [
    `.TH MNTNS 1 ${RELEASE_DATE} "mntns ${VERSION}" "User Commands"`,
    ".SH NAME",
    "mntns \\- mount namespaces and mount propagation, easy to use, to see",
    "and to trust",
    ".SH SYNOPSIS",
    ...table.commands.flatMap((command, index) => [
      ...index === 0 ? [] : [".br"],
      `.B mntns ${roffText(command.words.join(" "))}`,
      ...command.usage === "" ? [] : [roffText(command.usage)],
    ]),
    ".SH DESCRIPTION",
    ...blockRoff(description),
    ...optionsRoff(table.main),
    ".SH COMMANDS",
    ...table.commands.filter((command) => command.words[0] !== "help")
      .flatMap((command) => commandRoff(command.spec)),
    ".SS mntns help [COMMAND...]",
    ".PP",
    "The help of mntns, or of a command: the same as",
    '.BR "mntns COMMAND... \\-\\-help" .',
    ".SH EXIT STATUS",
    ...table.main.after.flatMap(blockRoff),
    ".SH ENVIRONMENT",
    ".TP",
    ".B NO_COLOR",
    "Set and not empty: no colour unless \\fB\\-\\-color=always\\fR.",
    ".TP",
    ".B TERM",
    "\\fBdumb\\fR: no colour unless \\fB\\-\\-color=always\\fR.",
    ".TP",
    ".B SHELL",
    "The command \\fBrun\\fR and \\fBisolate\\fR start when given none (else /bin/sh).",
    ".TP",
    ".B MNTNS_DEBUG",
    "Set: a runtime failure prints its stack trace too.",
    ".SH EXAMPLES",
    EXAMPLES,
    ".SH SEE ALSO",
    ".BR bwrap (1),",
    ".BR findmnt (8),",
    ".BR mount (8),",
    ".BR unshare (1),",
    ".BR nsenter (1),",
    ".BR mount_namespaces (7),",
    ".BR pivot_root (2)",
  ];
  // A paragraph starts by itself after a heading.
  return lines.filter((line, index) =>
    !(line === ".PP" && /^\.S[HS] /.test(lines[index - 1]))
  ).join("\n") + "\n";
}

if (import.meta.main) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const output = Deno.args[0] ?? `${root}dist/mntns.1`;
  Deno.mkdirSync(output.replace(/\/[^/]*$/, "") || "/", { recursive: true });
  Deno.writeTextFileSync(output, await manPage());
  console.log(`man: wrote ${output}`);
}
