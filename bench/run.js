// npm run bench: every benchmark in one go, printed as one table.
// Spawn rows are ms per operation, memory rows MB, the rest ms.
import { parsing } from "./parse.js";
import { startup } from "./startup.js";
import { spawning } from "./spawn.js";
import { memory } from "./memory.js";
import { printTable } from "./table.js";

const rows = [startup(), ...await parsing(), ...await spawning(),
  ...await memory()];
printTable(rows);
process.exitCode = rows.every((r) => r.met) ? 0 : 1;
