// npm run bench: every benchmark in one go, printed as one table.
import { startup } from "./startup.js";
import { printTable } from "./table.js";

const rows = [startup()];
printTable(rows);
process.exitCode = rows.every((r) => r.ratio <= r.target) ? 0 : 1;
