// npm run bench: every benchmark in one go, printed as one table.
import { parsing } from "./parse.js";
import { startup } from "./startup.js";
import { printTable } from "./table.js";

const rows = [startup(), ...await parsing()];
printTable(rows);
process.exitCode = rows.every((r) => r.met) ? 0 : 1;
