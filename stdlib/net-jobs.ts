// The network jobs a helper runs inside the session's network namespace
// (job-report.ts says how each reports back). The builtin that started
// one checked its arguments; the kernel checks them again.

import { JobError, type ReportedJob } from "./job-report.js";
import { linkIndex, setLinkUp } from "./libc.js";
import { addAddress, createVeth, linkNames } from "./netlink.js";

// The builtin hands the target's network namespace over as standard
// input: an fd means the same namespace whatever pid namespace the job
// is in, where a pid (IFLA_NET_NS_PID) would be read in the job's own.
const TARGET_NS_FD = 0;

export const NET_JOBS: Record<string, ReportedJob> = {
  "link-up": ([name]) => {
    setLinkUp(name);
    return true;
  },
  veth: ([a, b]) => {
    createVeth(a, b, TARGET_NS_FD);
    return true;
  },
  "addr-add": ([link, cidr]) => {
    const parsed = parseCidr(cidr);
    if (!parsed) throw new JobError(`'${cidr}' is not an IPv4 address`);
    addAddress(linkIndex(link), link, parsed.address, parsed.prefix);
    return true;
  },
  links: () => linkNames(),
};

/** An IPv4 address with an optional prefix length, or null. */
export function parseCidr(text: string):
  { address: number[]; prefix: number } | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/
    .exec(text);
  if (!m) return null;
  const address = m.slice(1, 5).map(Number);
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (address.some((n) => n > 255) || prefix > 32) return null;
  return { address, prefix };
}
