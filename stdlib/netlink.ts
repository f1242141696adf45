// rtnetlink by hand: the few messages nsrepl sends to create a veth pair,
// add an address and list links, built as bytes (rtnetlink(7)). Every
// request acts in the network namespace of the process that opened the
// socket, so only helper jobs inside the session call these.

import { SyscallError } from "./errors.js";
import { closeFd, netlinkOpen, netlinkRecv, netlinkSend } from "./libc.js";

const NLM_F_REQUEST = 0x1;
const NLM_F_MULTI = 0x2;
const NLM_F_ACK = 0x4;
const NLM_F_DUMP = 0x300;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;

export const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;

const IFLA_IFNAME = 3;
const IFLA_LINKINFO = 18;
const IFLA_NET_NS_FD = 28;
const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const VETH_INFO_PEER = 1;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const AF_INET = 2;
const IFF_UP = 0x1;

const NAMES: Record<number, string> = {
  [RTM_NEWLINK]: "RTM_NEWLINK", [RTM_GETLINK]: "RTM_GETLINK",
  [RTM_NEWADDR]: "RTM_NEWADDR",
};

/** An attribute: a type and its payload, or nested attributes. */
export type Attr = [type: number, payload: Buffer | Attr[]];

const align4 = (n: number) => (n + 3) & ~3;

/** Encodes rtattrs: length, type, payload, padded to four bytes. */
export function attrs(list: Attr[]): Buffer {
  return Buffer.concat(list.map(([type, payload]) => {
    const body = Buffer.isBuffer(payload) ? payload : attrs(payload);
    const out = Buffer.alloc(align4(4 + body.length));
    out.writeUInt16LE(4 + body.length, 0);
    out.writeUInt16LE(type, 2);
    body.copy(out, 4);
    return out;
  }));
}

/** A NUL-terminated string payload, as IFLA_IFNAME wants. */
export const cstr = (s: string) => Buffer.from(`${s}\0`);

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

/** struct ifinfomsg; IFF_UP in both flags and change brings a link up. */
export function ifinfo(index: number, up: boolean): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32LE(index, 4);
  b.writeUInt32LE(up ? IFF_UP : 0, 8);
  b.writeUInt32LE(up ? IFF_UP : 0, 12);
  return b;
}

let seq = 0;

/** One nlmsghdr around `body`. */
export function message(type: number, flags: number, body: Buffer): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt32LE(16 + body.length, 0);
  head.writeUInt16LE(type, 4);
  head.writeUInt16LE(flags | NLM_F_REQUEST, 6);
  head.writeUInt32LE(++seq, 8);
  return Buffer.concat([head, body]);
}

/** A reply message: its type and payload. */
interface Reply { type: number; flags: number; seq: number; body: Buffer }

/** Splits one received datagram into its messages. */
export function replies(buf: Buffer): Reply[] {
  const out: Reply[] = [];
  for (let at = 0; at + 16 <= buf.length;) {
    const len = buf.readUInt32LE(at);
    if (len < 16 || at + len > buf.length) break;
    out.push({ type: buf.readUInt16LE(at + 4), flags: buf.readUInt16LE(at + 6),
      seq: buf.readUInt32LE(at + 8), body: buf.subarray(at + 16, at + len) });
    at += align4(len);
  }
  return out;
}

/**
 * Sends `msg` and collects the replies to it until the kernel's ack, an
 * error (thrown as the request's SyscallError), or the end of a dump.
 */
export function request(msg: Buffer, object: string): Buffer[] {
  const type = msg.readUInt16LE(4);
  const op = NAMES[type] ?? `netlink type ${type}`;
  const fd = netlinkOpen();
  try {
    netlinkSend(fd, msg, op, object);
    return collect(fd, msg.readUInt32LE(8), op, object);
  } finally {
    closeFd(fd);
  }
}

function collect(fd: number, want: number, op: string, object: string) {
  const buf = Buffer.alloc(65536);
  const bodies: Buffer[] = [];
  for (;;) {
    const n = netlinkRecv(fd, buf, op, object);
    for (const r of replies(buf.subarray(0, n))) {
      if (r.seq !== want) continue;
      if (r.type === NLMSG_DONE) return bodies;
      if (r.type !== NLMSG_ERROR) bodies.push(Buffer.from(r.body));
      else return ack(r.body, bodies, op, object);
      if (!(r.flags & NLM_F_MULTI)) return bodies;
    }
  }
}

// NLMSG_ERROR carries a negative errno, or 0: the ack of a request.
function ack(body: Buffer, bodies: Buffer[], op: string, object: string) {
  const error = body.readInt32LE(0);
  if (error !== 0) throw new SyscallError(op, object, -error);
  return bodies;
}

/** Attributes of a reply body past its fixed header, as a map. */
export function parseAttrs(body: Buffer, skip: number): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (let at = skip; at + 4 <= body.length;) {
    const len = body.readUInt16LE(at);
    if (len < 4 || at + len > body.length) break;
    // The top two bits of a type are the nested and byte-order flags.
    const type = body.readUInt16LE(at + 2) & 0x3fff;
    out.set(type, body.subarray(at + 4, at + len));
    at += align4(len);
  }
  return out;
}

/**
 * Creates veth pair `a`–`b` with `a` up and `b` made directly in the
 * network namespace `nsFd` refers to: the kernel creates the peer there,
 * so it never appears where `a` is. The peer stays down: the kernel
 * configures it before the two ends know each other, and a veth without
 * its peer refuses to come up (ENOTCONN).
 */
export function createVeth(a: string, b: string, nsFd: number): void {
  const peer = Buffer.concat([ifinfo(0, false),
    attrs([[IFLA_IFNAME, cstr(b)], [IFLA_NET_NS_FD, u32(nsFd)]])]);
  const body = Buffer.concat([ifinfo(0, true), attrs([
    [IFLA_IFNAME, cstr(a)],
    [IFLA_LINKINFO, [[IFLA_INFO_KIND, cstr("veth")],
      [IFLA_INFO_DATA, [[VETH_INFO_PEER, peer]]]]],
  ])]);
  const flags = NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
  request(message(RTM_NEWLINK, flags, body), `for veth pair '${a}', '${b}'`);
}

/** Adds IPv4 `address`/`prefix` to link `index` (named `link`). */
export function addAddress(index: number, link: string, address: number[],
  prefix: number): void {
  const head = Buffer.alloc(8);
  head.writeUInt8(AF_INET, 0);
  head.writeUInt8(prefix, 1);
  head.writeUInt32LE(index, 4);
  const ip = Buffer.from(address);
  // For IPv4, IFA_LOCAL is the interface's address and IFA_ADDRESS the
  // peer's; on a broadcast link both are the same, as `ip addr add` sends.
  const body = Buffer.concat([head,
    attrs([[IFA_LOCAL, ip], [IFA_ADDRESS, ip]])]);
  const flags = NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
  const shown = `${address.join(".")}/${prefix}`;
  request(message(RTM_NEWADDR, flags, body), `for ${shown} on '${link}'`);
}

/** The names of the links in the caller's network namespace, by index. */
export function linkNames(): string[] {
  const bodies = request(message(RTM_GETLINK, NLM_F_DUMP, ifinfo(0, false)),
    "for every link");
  return bodies
    .map((body) => ({ index: body.readInt32LE(4), name: ifname(body) }))
    .sort((x, y) => x.index - y.index)
    .map((l) => l.name);
}

function ifname(body: Buffer): string {
  const raw = parseAttrs(body, 16).get(IFLA_IFNAME);
  return raw ? raw.toString("utf8").replace(/\0.*$/s, "") : "";
}
