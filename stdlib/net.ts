// A TCP listener and a connect probe with no external tool, so the seed's
// third experiment (`nc -l 80` in a namespace, `nc localhost 80` from the
// host) runs where nc is missing. Both are plain Node sockets; which
// network namespace they live in is decided by the process that runs them.

import { Socket, createServer } from "node:net";

/** What a connection attempt ended in, in the words of `nc`. */
export type ProbeResult =
  | "connected" | "refused" | "timeout" | "unreachable" | string;

/** Tries a TCP connection to host:port; never throws. */
export function probe(host: string, port: number, timeoutMs = 2000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (result: ProbeResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done("timeout"));
    socket.once("connect", () => done("connected"));
    socket.once("error", (error: NodeJS.ErrnoException) => done(probeError(error)));
    socket.connect({ host, port });
  });
}

function probeError(error: NodeJS.ErrnoException): ProbeResult {
  switch (error.code) {
    case "ECONNREFUSED": return "refused";
    case "ENETUNREACH": case "EHOSTUNREACH": return "unreachable";
    case "ETIMEDOUT": return "timeout";
    default: return (error.code ?? "error").toLowerCase();
  }
}

/**
 * Listens on port (all addresses) and answers each connection with a line
 * naming the process, then closes it. `ready` is called once bound, or
 * with the error code when the port cannot be had.
 */
export function listen(port: number, ready: (error: string | null) => void): void {
  const server = createServer((conn) => {
    // A probe that connects and leaves at once resets the connection.
    conn.on("error", () => {});
    conn.end(`hello from pid ${process.pid}\n`);
  });
  server.once("error", (error: NodeJS.ErrnoException) => ready(error.code ?? "error"));
  server.listen({ port, host: "0.0.0.0" }, () => ready(null));
}
