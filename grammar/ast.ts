// The typed syntax tree that the parser's CST is turned into. Every node
// carries the position of its first token; the interpreter reports errors
// against it.

/** Where a node starts in its source text (1-based line and column). */
export interface Loc {
  line: number;
  column: number;
  /** 0-based offset of the first character, for slicing the source. */
  offset: number;
}

/** The eight kernel namespace kinds, spelled as the kernel spells them. */
export type KindName =
  | "user" | "mnt" | "pid" | "net" | "uts" | "ipc" | "cgroup" | "time";

export interface Program {
  type: "Program";
  body: Stmt[];
  loc: Loc;
}

// ---------------------------------------------------------------- statements

export type Stmt =
  | LetStmt | AssignStmt | ExprStmt | BlockStmt | IfStmt | ForStmt
  | WhileStmt | FnDecl | ReturnStmt | BreakStmt | ContinueStmt | TryStmt
  | ExpectStmt | ScopedStmt | InspectStmt;

export interface LetStmt { type: "Let"; name: string; value: Expr; loc: Loc }

export interface AssignStmt {
  type: "Assign";
  target: Identifier | Member | Index;
  value: Expr;
  loc: Loc;
}

export interface ExprStmt { type: "ExprStmt"; expr: Expr; loc: Loc }

export interface BlockStmt { type: "Block"; body: Stmt[]; loc: Loc }

export interface IfStmt {
  type: "If";
  test: Expr;
  consequent: BlockStmt;
  alternate: BlockStmt | IfStmt | null;
  loc: Loc;
}

export interface ForStmt {
  type: "For";
  name: string;
  iterable: Expr;
  body: BlockStmt;
  loc: Loc;
}

export interface WhileStmt { type: "While"; test: Expr; body: BlockStmt; loc: Loc }

export interface FnDecl {
  type: "FnDecl";
  name: string;
  params: string[];
  body: BlockStmt;
  loc: Loc;
}

export interface ReturnStmt { type: "Return"; value: Expr | null; loc: Loc }
export interface BreakStmt { type: "Break"; loc: Loc }
export interface ContinueStmt { type: "Continue"; loc: Loc }

export interface TryStmt {
  type: "Try";
  block: BlockStmt;
  /** Name bound to the error value inside the handler, if given. */
  param: string | null;
  handler: BlockStmt;
  loc: Loc;
}

/** `expect EXPR [, MESSAGE]`: a check that fails the run when false. */
export interface ExpectStmt {
  type: "Expect";
  test: Expr;
  message: Expr | null;
  /** The source text of `test`, shown when the check fails. */
  text: string;
  loc: Loc;
}

/**
 * `unshare KINDS OPTIONS { ... }` or `setns TARGET [KINDS] { ... }`: the
 * session change lasts for the block only.
 */
export interface ScopedStmt {
  type: "Scoped";
  change: UnshareExpr | SetnsExpr;
  body: BlockStmt;
  loc: Loc;
}

/** `ns TARGET` and `compare A, B` as statements: they print. */
export interface InspectStmt {
  type: "Inspect";
  op: "ns" | "compare";
  args: Expr[];
  loc: Loc;
}

// --------------------------------------------------------------- expressions

export type Expr =
  | NumberLit | StringLit | TemplateLit | BoolLit | NullLit | HostLit
  | ListLit | Identifier | Member | Index | Call | Unary | Binary | Logical
  | SpawnExpr | CloneExpr | UnshareExpr | SetnsExpr;

export interface NumberLit { type: "Number"; value: number; loc: Loc }
export interface StringLit { type: "String"; value: string; loc: Loc }

/**
 * A double-quoted string with `${expr}` parts. `parts` alternates literal
 * text (escapes already decoded) and expressions; it never holds two
 * strings in a row.
 */
export interface TemplateLit {
  type: "Template";
  parts: (string | Expr)[];
  loc: Loc;
}

export interface BoolLit { type: "Bool"; value: boolean; loc: Loc }
export interface NullLit { type: "Null"; loc: Loc }
/** `host`: the namespaces nsrepl itself started in. */
export interface HostLit { type: "Host"; loc: Loc }
export interface ListLit { type: "List"; items: Expr[]; loc: Loc }
export interface Identifier { type: "Identifier"; name: string; loc: Loc }

export interface Member {
  type: "Member";
  object: Expr;
  /** Any identifier or keyword may follow the dot: `ns(p).net.id`. */
  property: string;
  loc: Loc;
}

export interface Index { type: "Index"; object: Expr; index: Expr; loc: Loc }

export interface Call { type: "Call"; callee: Expr; args: Expr[]; loc: Loc }

export interface Unary { type: "Unary"; op: "-" | "not"; operand: Expr; loc: Loc }

export type BinaryOp =
  | "+" | "-" | "*" | "/" | "%"
  | "==" | "!=" | "<" | "<=" | ">" | ">="
  | "contains" | "matches";

export interface Binary {
  type: "Binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
  loc: Loc;
}

export interface Logical {
  type: "Logical";
  op: "and" | "or";
  left: Expr;
  right: Expr;
  loc: Loc;
}

// ------------------------------------------------ the namespace statements

/** One namespace kind as written, with where it was written. */
export interface KindRef {
  /** `mount` is already folded to `mnt`; `all` is expanded by the parser. */
  kind: KindName;
  loc: Loc;
}

/** A uid or gid map line: inside, outside, count. */
export interface MapRange { inside: Expr; outside: Expr; count: Expr }

export type NsOption =
  /** `map root`: the caller becomes 0 inside (like `unshare -r`). */
  | { type: "MapRoot"; loc: Loc }
  /** `map user`: the caller keeps its own ids (--map-current-user). */
  | { type: "MapUser"; loc: Loc }
  /** `map I O C` (uid and gid), `uidmap I O C` or `gidmap I O C`. */
  | { type: "MapRange"; which: "both" | "uid" | "gid"; range: MapRange; loc: Loc }
  | { type: "Setgroups"; allow: boolean; loc: Loc }
  /** `mount proc`: a fresh /proc for the new pid namespace. */
  | { type: "MountProc"; loc: Loc }
  | { type: "Propagation"; mode: Propagation; loc: Loc }
  | { type: "Hostname"; value: Expr; loc: Loc }
  | { type: "Cwd"; value: Expr; loc: Loc }
  /** `root "/dir"`: chroot there first, like `nsenter --root`. */
  | { type: "Root"; value: Expr; loc: Loc }
  /** `capture`: keep the program's standard output as `.stdout`. */
  | { type: "Capture"; loc: Loc }
  /** `offset monotonic N`: a new time namespace's clock, N seconds on. */
  | { type: "TimeOffset"; clock: "monotonic" | "boottime"; seconds: Expr; loc: Loc };

export type Propagation = "private" | "slave" | "shared" | "unchanged";

/** `spawn [OPTIONS] COMMAND [&]` */
export interface SpawnExpr {
  type: "Spawn";
  options: NsOption[];
  command: Expr;
  background: boolean;
  loc: Loc;
}

/** `clone KINDS [OPTIONS] [COMMAND] [&]`; no command makes a holder. */
export interface CloneExpr {
  type: "Clone";
  kinds: KindRef[];
  options: NsOption[];
  command: Expr | null;
  background: boolean;
  loc: Loc;
}

/** `unshare KINDS [OPTIONS]` */
export interface UnshareExpr {
  type: "Unshare";
  kinds: KindRef[];
  options: NsOption[];
  loc: Loc;
}

/** `setns TARGET [KINDS]`; no kinds joins every kind that differs. */
export interface SetnsExpr {
  type: "Setns";
  target: Expr;
  kinds: KindRef[];
  /** `mount proc`, `root`, `cwd`. */
  options: NsOption[];
  loc: Loc;
}
