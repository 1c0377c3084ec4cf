/** The mntns version, printed by `mntns --version`. */
export const VERSION = "0.1.0";
