// `nsrepl --helper ...`: small jobs nsrepl runs as a process of its own,
// started by the launcher inside the session's namespaces. A socket
// belongs to the network namespace of the process that creates it, and a
// mount goes into the mount namespace of the process that makes it;
// nsrepl itself never changes namespaces, so such work runs here.

import { closeSync, writeSync } from "node:fs";
import { listen, probe } from "./net.js";
import { reportJob, type ReportedJob } from "./job-report.js";
import { NET_JOBS } from "./net-jobs.js";
import { MOUNT_JOBS } from "./mounts.js";

// Jobs that print one JSON report (job-report.ts); connect and listen
// speak plain lines, because a listener reports before it is done.
const REPORTED: Record<string, ReportedJob> = { ...NET_JOBS, ...MOUNT_JOBS };

/** Runs one helper job; resolves to the exit status. */
export async function runHelper(args: string[]): Promise<number> {
  const [job, ...rest] = args;
  if (job === "connect") return connectJob(rest[0], Number(rest[1]));
  if (job === "listen") return listenJob(Number(rest[0]));
  if (Object.hasOwn(REPORTED, job)) return reportJob(() => REPORTED[job](rest));
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
