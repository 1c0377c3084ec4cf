/**
 * `mntns completions bash|zsh|fish`: the bash script completes in a real
 * interactive bash (`bash --norc -i` under tmux); fish completes the same
 * words (`complete -C`); the zsh and fish scripts pass `zsh -n` / `fish -n`;
 * and every script holds every option of every command, read from the
 * parsers' declarations.
 */
import assert from "node:assert/strict";
import { openTerminal } from "./terminal.ts";
import { cliInterface } from "../lib/cli/command_interface.ts";
import { loadCommandTable } from "../lib/commands.ts";
import { MNTNS_SHELL_WORDS } from "./under_test.ts";
import { expectCode, mntns, run, shellQuote } from "./processes.ts";
import { inScratchNamespace, rootTest } from "./namespaces.ts";
import { RUN_FUNCTIONS, sections } from "./run_functions.ts";

const cli = cliInterface(await loadCommandTable());

async function script(shell: string): Promise<string> {
  return expectCode(await mntns(["completions", shell]), 0).stdout;
}

function savedScript(text: string, suffix: string): string {
  const path = Deno.makeTempFileSync({ prefix: "mntns-completion-", suffix });
  Deno.writeTextFileSync(path, text);
  return path;
}

Deno.test("bash: 'mntns propagation s<Tab>' and 'mntns run --hos<Tab>' complete in bash --norc -i", async () => {
  const path = savedScript(await script("bash"), ".bash");
  const session = `mntns-completion-${Deno.pid}`;
  const terminal = await openTerminal(
    session,
    "env -i TERM=xterm PATH=/usr/bin:/bin HOME=/ PS1='start$ ' bash --norc -i",
  );
  try {
    await terminal.waitFor(/^start\$\s*$/m);
    await terminal.keys(
      `PS1='comp$ '; mntns() { :; }; source ${shellQuote(path)}; clear`,
      "Enter",
    );
    await terminal.waitFor(/^comp\$$/m);
    await terminal.keys("mntns propagation s", "Tab", "Tab");
    const listed = await terminal.waitFor(/^set +show\s*$/m);
    assert.match(listed, /^comp\$ mntns propagation s$/m);
    await terminal.keys("C-u", "mntns run --hos", "Tab");
    await terminal.waitFor(/^comp\$ mntns run --hostname$/m);
    await terminal.keys("C-u", "mntns propagation set sla", "Tab");
    await terminal.waitFor(/^comp\$ mntns propagation set slave$/m);
    await terminal.keys("C-u", "mntns propagation show -o TARGET,PROPA", "Tab");
    await terminal.waitFor(
      /^comp\$ mntns propagation show -o TARGET,PROPAGATION$/m,
    );
  } finally {
    await terminal.close();
    Deno.removeSync(path);
  }
});

Deno.test("fish: the script completes commands, options and their values (complete -C)", async () => {
  const path = savedScript(await script("fish"), ".fish");
  try {
    const complete = async (line: string): Promise<string[]> => {
      const outcome = expectCode(
        await run([
          "fish",
          "--no-config",
          "-c",
          `source ${shellQuote(path)}; complete -C ${shellQuote(line)}`,
        ]),
        0,
      );
      assert.equal(outcome.stderr, "");
      return outcome.stdout.trimEnd().split("\n").map((entry) =>
        entry.split("\t")[0]
      );
    };
    assert.deepEqual(await complete("mntns propagation s"), ["set", "show"]);
    assert.deepEqual(await complete("mntns run --hos"), ["--hostname"]);
    assert.deepEqual(await complete("mntns run --propagation "), [
      "private",
      "shared",
      "slave",
      "unchanged",
    ]);
    assert.deepEqual(await complete("mntns propagation show --color="), [
      "--color=always",
      "--color=auto",
      "--color=never",
    ]);
    assert.deepEqual(
      await complete("mntns propagation show -o TARGET,PRO"),
      ["TARGET,PROPAGATION"],
    );
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("zsh -n and fish -n accept the scripts, bash -n the bash one", async () => {
  for (
    const [shell, check] of [
      ["bash", ["bash", "-n"]],
      ["zsh", ["zsh", "-n"]],
      ["fish", ["fish", "--no-config", "-n"]],
    ] as const
  ) {
    const path = savedScript(await script(shell), `.${shell}`);
    try {
      const outcome = await run([...check, path]);
      assert.equal(outcome.code, 0, `${shell}: ${outcome.stderr}`);
      assert.equal(outcome.stderr, "", shell);
    } finally {
      Deno.removeSync(path);
    }
  }
});

Deno.test("every script holds every command, option, mode and column", async () => {
  const scripts = {
    bash: await script("bash"),
    zsh: await script("zsh"),
    fish: await script("fish"),
  };
  const flagIn = {
    bash: (flag: string) => flag,
    zsh: (flag: string) => flag,
    fish: (flag: string) =>
      flag.startsWith("--") ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`,
  };
  for (const [shell, text] of Object.entries(scripts)) {
    const form = flagIn[shell as keyof typeof flagIn];
    for (const group of cli.groups) {
      for (const child of group.children) {
        assert.ok(text.includes(child.word), `${shell}: ${child.word}`);
      }
    }
    for (const command of cli.commands) {
      for (const option of command.options) {
        for (const flag of option.flags) {
          assert.ok(
            text.includes(form(flag)),
            `${shell}: ${command.words.join(" ")} ${flag}`,
          );
        }
        for (const choice of option.choices ?? []) {
          // zsh's _arguments specs write a colon as \:.
          const written = shell === "zsh" ? choice.replace(":", "\\:") : choice;
          assert.ok(text.includes(written), `${shell}: ${choice}`);
        }
      }
    }
  }
  assert.equal(
    expectCode(await mntns(["completions", "tcsh"]), 2).stderr,
    "mntns: unknown shell 'tcsh' (one of: bash, zsh, fish)\nTry 'mntns completions --help' for more information.\n",
  );
});

rootTest(
  "bash, zsh and fish complete enter's targets (a run's PID and hostname, a kept namespace), capabilities and users",
  async () => {
    const scripts: Record<string, string> = {};
    for (const shell of ["bash", "zsh", "fish"]) {
      scripts[shell] = savedScript(await script(shell), `.${shell}`);
    }
    const bashComplete = (line: string): string =>
      `bash -c ${
        shellQuote(
          `source "$1"; read -ra COMP_WORDS <<< "$2"; [[ $2 == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); _mntns; printf '%s\\n' "\${COMPREPLY[@]}"`,
        )
      } x ${shellQuote(scripts.bash)} ${shellQuote(line)}`;
    const fishComplete = (line: string): string =>
      `fish --no-config -c ${
        shellQuote(
          `function mntns; ${MNTNS_SHELL_WORDS} $argv; end; source ${
            shellQuote(scripts.fish)
          }; complete -C ${shellQuote(line)} | cut -f1`,
        )
      }`;
    // zsh's own completion system needs a terminal; its helper functions are
    // called directly, with compadd printing what it is given.
    const zshTargets = `zsh -fc ${
      shellQuote(`mntns() { ${MNTNS_SHELL_WORDS} "$@"; }
compadd() { [[ $1 == -a ]] && print -l \${(P)2} || print -l "$@"; }
compdef() { :; }
source ${shellQuote(scripts.zsh)}; _mntns_targets`)
    }`;
    try {
      const outcome = expectCode(
        await inScratchNamespace(`${RUN_FUNCTIONS}
export -f mntns
startrun P "$T/info" --hostname comp-box -- sleep 1000
touch "$T/kept"; mntns isolate --mount="$T/kept" -- true
echo "=== pid"; echo "$P"
echo "=== bash-enter"; ${bashComplete("mntns enter ")}
echo "=== bash-cap"; ${bashComplete("mntns run --cap-drop CAP_SYS_AD")}
echo "=== bash-user"; ${bashComplete("mntns run --user roo")}
echo "=== zsh-enter"; ${zshTargets}
echo "=== fish-enter"; ${fishComplete("mntns enter ")}
echo "=== fish-cap"; ${fishComplete("mntns run --cap-add CAP_SYS_AD")}
echo "=== fish-user"; ${fishComplete("mntns run --user roo")}
kill "$(infofield mntns "$T/info")"; umount "$T/kept"`),
        0,
      );
      const found = sections(outcome.stdout);
      const pid = found.pid.trim();
      for (const shell of ["bash", "zsh", "fish"]) {
        const words = found[`${shell}-enter`].split("\n");
        for (const target of [pid, "comp-box"]) {
          assert.ok(words.includes(target), `${shell}: ${target} in ${words}`);
        }
        assert.ok(
          words.some((word) => word.endsWith("/kept")),
          `${shell}: the kept namespace in ${words}`,
        );
      }
      for (const shell of ["bash", "fish"]) {
        assert.equal(found[`${shell}-cap`], "CAP_SYS_ADMIN\n", shell);
        assert.ok(found[`${shell}-user`].split("\n").includes("root"), shell);
      }
      const zsh = await script("zsh");
      assert.match(zsh, /--user=.*:_users' /);
      assert.match(zsh, /CAP_SYS_ADMIN/);
    } finally {
      for (const path of Object.values(scripts)) Deno.removeSync(path);
    }
  },
);
