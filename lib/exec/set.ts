/**
 * `mntns propagation set`'s executor: one `mount(2)` call, as
 * `mount --make-[r]MODE` makes it.
 *
 * @module
 */

import { mount } from "../../ffi/syscalls.ts";
import type { SetPlan } from "../plan/set_plan.ts";
import { propagationFlags } from "./propagation_flags.ts";

/**
 * Gives the mount at the plan's target (and with `recursive`, every mount
 * below it) the plan's propagation.
 *
 * @example
 * ```ts
 * applySetPlan({ mode: "private", target: "/mnt", recursive: true });
 * ```
 */
export function applySetPlan(plan: SetPlan): void {
  mount({
    source: "none",
    target: plan.target,
    flags: propagationFlags(plan.mode, plan.recursive),
  });
}
