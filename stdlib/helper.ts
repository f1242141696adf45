// `nsrepl --helper ...`: small jobs nsrepl runs as a process of its own,
// started by the launcher inside the session's namespaces. The network
// builtins need this: a socket belongs to the network namespace of the
// process that creates it, and nsrepl itself never changes namespaces.

import { closeSync, writeSync } from "node:fs";
import { listen, probe } from "./net.js";
import { linkUp } from "./link.js";

/** Runs one helper job; resolves to the exit status. */
export async function runHelper(args: string[]): Promise<number> {
  const [job, ...rest] = args;
  if (job === "connect") return connectJob(rest[0], Number(rest[1]));
  if (job === "listen") return listenJob(Number(rest[0]));
  if (job === "link-up") return linkUpJob(rest[0]);
  process.stderr.write(`nsrepl: unknown helper job '${job}'\n`);
  return 64;
}

async function connectJob(host: string, port: number): Promise<number> {
  writeSync(1, `${await probe(host, port)}\n`);
  return 0;
}

// The caller learns the listener is bound when standard output reaches
// end of file: the helper closes it once listening, and keeps serving.
function listenJob(port: number): Promise<number> {
  return new Promise((resolve) => {
    listen(port, (error) => {
      writeSync(1, error ? `error ${error}\n` : "listening\n");
      closeSync(1);
      if (error) resolve(1);
    });
  });
}

function linkUpJob(name: string): number {
  const error = linkUp(name);
  writeSync(1, error ? `error ${error}\n` : "up\n");
  return error ? 1 : 0;
}
