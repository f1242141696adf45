// Lexical scopes: a block gets a child scope, a function call a child of
// the scope the function was declared in.

import { ScriptError } from "./errors.js";
import type { Loc } from "../grammar/ast.js";
import type { Value } from "./values.js";

export class Environment {
  private vars = new Map<string, Value>();

  constructor(public readonly parent: Environment | null = null) {}

  /** Creates `name` in this scope; `let` of an existing name shadows it. */
  define(name: string, value: Value): void {
    this.vars.set(name, value);
  }

  get(name: string, loc: Loc): Value {
    const scope = this.find(name);
    if (!scope) throw new ScriptError(`'${name}' is not defined`, loc);
    return scope.vars.get(name)!;
  }

  assign(name: string, value: Value, loc: Loc): void {
    const scope = this.find(name);
    if (!scope) {
      const msg = `'${name}' is not defined; use 'let ${name} = ...' first`;
      throw new ScriptError(msg, loc);
    }
    scope.vars.set(name, value);
  }

  has(name: string): boolean {
    return this.find(name) !== null;
  }

  /** Every name visible from here, innermost first (for completion). */
  names(): string[] {
    const seen = new Set<string>();
    for (let s: Environment | null = this; s; s = s.parent) {
      for (const name of s.vars.keys()) seen.add(name);
    }
    return [...seen];
  }

  private find(name: string): Environment | null {
    for (let s: Environment | null = this; s; s = s.parent) {
      if (s.vars.has(name)) return s;
    }
    return null;
  }
}
