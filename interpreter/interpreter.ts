// The evaluator: one method per node kind. It is async because a
// foreground process is awaited without blocking the event loop, which
// reaps children and delivers signals meanwhile.

import type * as A from "../grammar/ast.js";
import { Environment } from "./environment.js";
import {
  BreakSignal, ContinueSignal, ReturnSignal, ScriptError, located, stray,
} from "./errors.js";
import { binary } from "./operators.js";
import type { Value } from "./values.js";
import {
  ErrorValue, ObjectValue, isCallable, show, truthy, typeOf,
} from "./values.js";
import type { Host } from "./host.js";
import type { Origin } from "./reporter.js";
import { NamespaceOps } from "./ns-ops.js";
import { Session } from "./session.js";
import { installBuiltins } from "../stdlib/builtins.js";
import { expectFailure } from "./expect.js";

// Recursion in a script must end in a script error, never in a stack
// overflow of nsrepl itself.
const MAX_DEPTH = 400;
const MAX_EXPR_DEPTH = 1000;

export class Interpreter {
  readonly globals = new Environment();
  private sessionValue: Session | null = null;
  readonly ns: NamespaceOps;
  private depth = 0;
  private evalDepth = 0;
  /**
   * The source the statement being run is in: the driver's, or a
   * function's own while its body runs.
   */
  origin: Origin = { file: "", source: "" };

  /**
   * The namespace context, made on first use: opening it loads koffi and
   * reads /proc, which a script that starts no process never needs.
   */
  get session(): Session {
    this.sessionValue ??= new Session();
    return this.sessionValue;
  }

  /** The session if something has made it, without making it. */
  get sessionIfMade(): Session | null {
    return this.sessionValue;
  }

  constructor(readonly host: Host) {
    this.ns = new NamespaceOps(this);
    installBuiltins(this);
  }

  /** Runs a program; returns the value of a final expression statement. */
  async run(program: A.Program): Promise<Value> {
    let last: Value = null;
    try {
      for (const stmt of program.body) {
        last = null;
        if (stmt.type === "ExprStmt") last = await this.eval(stmt.expr, this.globals);
        else await this.exec(stmt, this.globals);
      }
    } catch (error) {
      throw stray(error);
    }
    return last;
  }

  /** Ends every process and namespace handle the session holds. */
  close(): void {
    this.ns.close();
    this.sessionValue?.close();
  }

  // ------------------------------------------------------------ statements

  async exec(s: A.Stmt, env: Environment): Promise<void> {
    try {
      await this.execNode(s, env);
    } catch (error) {
      throw located(error, s.loc);
    }
  }

  private execNode(s: A.Stmt, env: Environment): Promise<void> | void {
    switch (s.type) {
      case "Let": return this.execLet(s, env);
      case "Assign": return this.execAssign(s, env);
      case "ExprStmt": return this.execExpr(s, env);
      case "Block": return this.execBlock(s.body, new Environment(env));
      case "If": return this.execIf(s, env);
      case "For": return this.execFor(s, env);
      case "While": return this.execWhile(s, env);
      case "FnDecl": return this.execFn(s, env);
      case "Return": return this.execReturn(s, env);
      case "Break": throw new BreakSignal(s.loc);
      case "Continue": throw new ContinueSignal(s.loc);
      case "Try": return this.execTry(s, env);
      case "Expect": return this.execExpect(s, env);
      case "Scoped": return this.ns.scoped(s, env);
      case "Inspect": return this.ns.inspect(s, env);
    }
  }

  async execBlock(body: A.Stmt[], env: Environment): Promise<void> {
    for (const stmt of body) await this.exec(stmt, env);
  }

  private async execLet(s: A.LetStmt, env: Environment) {
    env.define(s.name, await this.eval(s.value, env));
  }

  private async execAssign(s: A.AssignStmt, env: Environment) {
    const value = await this.eval(s.value, env);
    const t = s.target;
    if (t.type === "Identifier") return env.assign(t.name, value, t.loc);
    if (t.type === "Index") return this.assignIndex(t, value, env);
    throw new ScriptError(`cannot assign to member '${t.property}'`, t.loc);
  }

  private async assignIndex(t: A.Index, value: Value, env: Environment) {
    const list = await this.eval(t.object, env);
    const i = await this.eval(t.index, env);
    if (!Array.isArray(list)) {
      throw new ScriptError(`cannot assign into ${typeOf(list)}`, t.loc);
    }
    list[checkIndex(list, i, t.index.loc)] = value;
  }

  private async execExpr(s: A.ExprStmt, env: Environment) {
    await this.eval(s.expr, env);
  }

  private async execIf(s: A.IfStmt, env: Environment): Promise<void> {
    if (truthy(await this.eval(s.test, env))) {
      return this.execBlock(s.consequent.body, new Environment(env));
    }
    if (s.alternate) return this.exec(s.alternate, env);
  }

  private async execFor(s: A.ForStmt, env: Environment) {
    const value = await this.eval(s.iterable, env);
    const items = value instanceof ObjectValue ? value.items() : value;
    if (!Array.isArray(items) && typeof items !== "string") {
      throw new ScriptError(`cannot loop over ${typeOf(value)}`, s.iterable.loc);
    }
    for (const item of [...items]) {
      const scope = new Environment(env);
      scope.define(s.name, item);
      if (await this.loopBody(s.body, scope)) break;
    }
  }

  private async execWhile(s: A.WhileStmt, env: Environment) {
    while (truthy(await this.eval(s.test, env))) {
      if (await this.loopBody(s.body, new Environment(env))) break;
    }
  }

  /** Runs one iteration; true when `break` ended the loop. */
  private async loopBody(body: A.BlockStmt, env: Environment): Promise<boolean> {
    try {
      await this.execBlock(body.body, env);
    } catch (signal) {
      if (signal instanceof BreakSignal) return true;
      if (!(signal instanceof ContinueSignal)) throw signal;
    }
    return false;
  }

  // In the REPL a function may be called entries after the one that
  // defined it: its body's locations are in that entry's source.
  private execFn(s: A.FnDecl, env: Environment) {
    const origin = this.origin;
    env.define(s.name, {
      callable: true,
      name: s.name,
      call: (args, loc) => this.callUser(s, env, origin, args, loc),
    });
  }

  /** Runs `body` with its locations, and its errors', in `origin`. */
  private async within<T>(origin: Origin, body: () => Promise<T>): Promise<T> {
    const caller = this.origin;
    this.origin = origin;
    try {
      return await body();
    } catch (error) {
      if (error instanceof ScriptError) error.origin ??= origin;
      throw error;
    } finally {
      this.origin = caller;
    }
  }

  // A wrong argument count, or recursion too deep, is the caller's error;
  // anything from the body is in the function's origin.
  private async callUser(fn: A.FnDecl, closure: Environment,
    origin: Origin, args: Value[], loc: A.Loc): Promise<Value> {
    if (args.length !== fn.params.length) {
      const msg = `${fn.name}() takes ${fn.params.length} argument(s), got ${args.length}`;
      throw new ScriptError(msg, loc);
    }
    const scope = new Environment(closure);
    fn.params.forEach((p, i) => scope.define(p, args[i]));
    return this.nested(loc, () => this.within(origin, async () => {
      try {
        await this.execBlock(fn.body.body, scope);
      } catch (signal) {
        if (signal instanceof ReturnSignal) return signal.value as Value;
        // A loop's break is the loop's: never one of the caller's.
        throw stray(signal);
      }
      return null;
    }));
  }

  private async nested<T>(loc: A.Loc, body: () => Promise<T>): Promise<T> {
    if (++this.depth > MAX_DEPTH) {
      this.depth = 0;
      throw new ScriptError(`calls nested deeper than ${MAX_DEPTH}: runaway recursion?`, loc);
    }
    try {
      return await body();
    } finally {
      this.depth = Math.max(0, this.depth - 1);
    }
  }

  private async execReturn(s: A.ReturnStmt, env: Environment) {
    const value = s.value ? await this.eval(s.value, env) : null;
    throw new ReturnSignal(value, s.loc);
  }

  private async execTry(s: A.TryStmt, env: Environment): Promise<void> {
    try {
      await this.execBlock(s.block.body, new Environment(env));
    } catch (error) {
      if (!(error instanceof ScriptError)) throw error;
      const scope = new Environment(env);
      if (s.param) scope.define(s.param, errorValue(error));
      await this.execBlock(s.handler.body, scope);
    }
  }

  private async execExpect(s: A.ExpectStmt, env: Environment) {
    const failure = await expectFailure(this, s, env);
    if (failure) throw failure;
  }

  // ----------------------------------------------------------- expressions

  async eval(e: A.Expr, env: Environment): Promise<Value> {
    // Stop a deep expression (a 20,000-term sum) well before V8's stack
    // does: an overflow inside promise machinery cannot be caught cleanly.
    if (++this.evalDepth > MAX_EXPR_DEPTH) {
      this.evalDepth = 0;
      throw new ScriptError(`expression nested deeper than ${MAX_EXPR_DEPTH}`, e.loc);
    }
    try {
      return await this.evalNode(e, env);
    } catch (error) {
      throw located(error, e.loc);
    } finally {
      this.evalDepth = Math.max(0, this.evalDepth - 1);
    }
  }

  private evalNode(e: A.Expr, env: Environment): Promise<Value> | Value {
    switch (e.type) {
      case "Number": case "String": case "Bool": return e.value;
      case "Null": return null;
      case "Host": return this.ns.host();
      case "Template": return this.evalTemplate(e, env);
      case "List": return this.evalList(e, env);
      case "Identifier": return env.get(e.name, e.loc);
      case "Member": return this.evalMember(e, env);
      case "Index": return this.evalIndex(e, env);
      case "Call": return this.evalCall(e, env);
      case "Unary": return this.evalUnary(e, env);
      case "Binary": return this.evalBinary(e, env);
      case "Logical": return this.evalLogical(e, env);
      case "Spawn": return this.ns.spawn(e, env);
      case "Clone": return this.ns.clone(e, env);
      case "Unshare": return this.ns.unshare(e, env);
      case "Setns": return this.ns.setns(e, env);
    }
  }

  async evalTemplate(e: A.TemplateLit, env: Environment): Promise<string> {
    let text = "";
    for (const part of e.parts) {
      text += typeof part === "string" ? part : show(await this.eval(part, env));
    }
    return text;
  }

  private async evalList(e: A.ListLit, env: Environment): Promise<Value[]> {
    const items: Value[] = [];
    for (const item of e.items) items.push(await this.eval(item, env));
    return items;
  }

  private async evalMember(e: A.Member, env: Environment): Promise<Value> {
    const object = await this.eval(e.object, env);
    return member(object, e.property, e.loc);
  }

  private async evalIndex(e: A.Index, env: Environment): Promise<Value> {
    const object = await this.eval(e.object, env);
    const i = await this.eval(e.index, env);
    if (Array.isArray(object) || typeof object === "string") {
      return object[checkIndex(object, i, e.index.loc)];
    }
    if (object instanceof ObjectValue && typeof i === "string") {
      return member(object, i, e.loc);
    }
    throw new ScriptError(`cannot index ${typeOf(object)}`, e.loc);
  }

  private async evalCall(e: A.Call, env: Environment): Promise<Value> {
    const callee = await this.eval(e.callee, env);
    if (!isCallable(callee)) {
      throw new ScriptError(`${typeOf(callee)} is not a function`, e.callee.loc);
    }
    const args: Value[] = [];
    for (const arg of e.args) args.push(await this.eval(arg, env));
    return callee.call(args, e.loc);
  }

  private async evalUnary(e: A.Unary, env: Environment): Promise<Value> {
    const v = await this.eval(e.operand, env);
    if (e.op === "not") return !truthy(v);
    if (typeof v !== "number") {
      throw new ScriptError(`cannot negate ${typeOf(v)}`, e.loc);
    }
    return -v;
  }

  private async evalBinary(e: A.Binary, env: Environment): Promise<Value> {
    const left = await this.eval(e.left, env);
    const right = await this.eval(e.right, env);
    return binary(e.op, left, right, e.loc);
  }

  private async evalLogical(e: A.Logical, env: Environment): Promise<Value> {
    const left = await this.eval(e.left, env);
    if (e.op === "and" ? !truthy(left) : truthy(left)) return left;
    return this.eval(e.right, env);
  }
}

/** `object.name`, or a script error listing what the object has. */
export function member(object: Value, name: string, loc: A.Loc): Value {
  if (object instanceof ObjectValue) {
    const v = object.member(name);
    if (v !== undefined) return v;
    const has = object.memberNames().join(", ");
    throw new ScriptError(`${object.typeName} has no member '${name}' (it has ${has})`, loc);
  }
  if ((Array.isArray(object) || typeof object === "string") && name === "length") {
    return object.length;
  }
  throw new ScriptError(`${typeOf(object)} has no member '${name}'`, loc);
}

function checkIndex(list: { length: number }, i: Value, loc: A.Loc): number {
  if (typeof i !== "number" || !Number.isInteger(i)) {
    throw new ScriptError(`an index must be a whole number, found ${typeOf(i)}`, loc);
  }
  const at = i < 0 ? list.length + i : i;
  if (at < 0 || at >= list.length) {
    throw new ScriptError(`index ${i} is out of range (length ${list.length})`, loc);
  }
  return at;
}

function errorValue(error: ScriptError): ErrorValue {
  return new ErrorValue(error.message, error.code, error.loc?.line ?? null);
}
