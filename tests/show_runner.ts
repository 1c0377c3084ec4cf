/**
 * Runs `propagation show` many times in one process, for the comparisons
 * with findmnt that would take minutes as one process a run: the jobs come
 * as JSON (`[[ARG, ...], ...]`) in the file named by the first argument;
 * each run's output is written after a line `@@job N` and followed by
 * `@@status S` (its exit status; 2 with a one-line error for one that threw).
 *
 * @module
 */

import { showCommand } from "../lib/cli/propagation_show.ts";
import { writeOut } from "../lib/cli/output.ts";

const jobs: string[][] = JSON.parse(Deno.readTextFileSync(Deno.args[0]));
jobs.forEach((args, job) => {
  writeOut(`@@job ${job}\n`);
  let status: number;
  try {
    status = showCommand(args);
  } catch (error) {
    writeOut(`error: ${(error as Error).message}\n`);
    status = 2;
  }
  writeOut(`@@status ${status}\n`);
});
