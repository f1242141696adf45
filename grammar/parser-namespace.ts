// The four namespace expressions and their kinds and options:
//   spawn OPTIONS COMMAND [&]
//   clone KINDS OPTIONS [COMMAND] [&]
//   unshare KINDS OPTIONS
//   setns TARGET [KINDS] OPTIONS
// Options are accepted after any of them; whether one fits the statement
// is the interpreter's call, so that the message can explain the kernel.

import type { OrMethodOpts } from "chevrotain";
import { ExpressionRules } from "./parser-expressions.js";
import * as T from "./tokens.js";

export abstract class NamespaceRules extends ExpressionRules {
  spawnExpr = this.RULE("spawnExpr", () => {
    this.CONSUME(T.Spawn);
    this.MANY(this.options);
    this.OR(this.command);
    this.OPTION(() => this.CONSUME(T.Amp));
  });

  cloneExpr = this.RULE("cloneExpr", () => {
    this.CONSUME(T.Clone);
    this.SUBRULE(this.kinds);
    this.MANY(this.options);
    this.OPTION(() => this.OR(this.command));
    this.OPTION2(() => this.CONSUME(T.Amp));
  });

  unshareExpr = this.RULE("unshareExpr", () => {
    this.CONSUME(T.Unshare);
    this.SUBRULE(this.kinds);
    this.MANY(this.options);
  });

  // `mount` is a kind and starts `mount proc`: two tokens tell them apart.
  setnsExpr = this.RULE("setnsExpr", () => {
    this.CONSUME(T.Setns);
    this.SUBRULE(this.expression);
    this.OPTION({
      GATE: () => !(this.LA(1).tokenType === T.Mount &&
        this.LA(2).tokenType === T.Proc),
      DEF: () => this.SUBRULE(this.kinds),
    });
    this.MANY(this.options);
  });

  kinds = this.RULE("kinds", () => {
    this.CONSUME(T.Kind);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.CONSUME2(T.Kind);
    });
  });

  // Option words are soft keywords, so they could also start a command
  // that is a variable. One token of lookahead makes them options always:
  // `clone net hostname` wants a value, not a command named hostname.
  private readonly options = {
    MAX_LOOKAHEAD: 1,
    DEF: () => this.SUBRULE(this.nsOption),
  };

  nsOption = this.RULE("nsOption", () => {
    this.OR({
      DEF: [
        { ALT: () => this.SUBRULE(this.mapOption) },
        { ALT: () => {
          this.CONSUME(T.Uidmap);
          this.SUBRULE(this.mapRange);
        } },
        { ALT: () => {
          this.CONSUME(T.Gidmap);
          this.SUBRULE2(this.mapRange);
        } },
        { ALT: () => this.SUBRULE(this.setgroupsOption) },
        { ALT: () => {
          this.CONSUME(T.Mount);
          this.CONSUME(T.Proc);
        } },
        { ALT: () => this.SUBRULE(this.propagationOption) },
        { ALT: () => {
          this.CONSUME(T.Hostname);
          this.SUBRULE(this.optionValue);
        } },
        { ALT: () => {
          this.CONSUME(T.Cwd);
          this.SUBRULE2(this.optionValue);
        } },
        { ALT: () => {
          this.CONSUME(T.Root);
          this.SUBRULE3(this.optionValue);
        } },
        { ALT: () => this.CONSUME(T.Capture) },
        { ALT: () => this.SUBRULE(this.offsetOption) },
      ],
    });
  });

  /** `offset monotonic SECONDS` or `offset boottime SECONDS`; may be -N. */
  offsetOption = this.RULE("offsetOption", () => {
    this.CONSUME(T.Offset);
    this.OR({
      ERR_MSG: "'monotonic' or 'boottime'",
      DEF: [
        { ALT: () => this.CONSUME(T.Monotonic) },
        { ALT: () => this.CONSUME(T.Boottime) },
      ],
    });
    this.OPTION(() => this.CONSUME(T.Minus));
    this.SUBRULE(this.optionValue);
  });

  mapOption = this.RULE("mapOption", () => {
    this.CONSUME(T.MapWord);
    this.OR({
      IGNORE_AMBIGUITIES: true,
      ERR_MSG: "'root', 'user' or a map range (inside outside count)",
      DEF: [
        { ALT: () => this.CONSUME(T.Root) },
        { ALT: () => this.CONSUME(T.User) },
        { ALT: () => this.SUBRULE(this.mapRange) },
      ],
    });
  });

  /** inside, outside, count: three values, no commas, as in uid_map. */
  mapRange = this.RULE("mapRange", () => {
    this.SUBRULE(this.optionValue);
    this.SUBRULE2(this.optionValue);
    this.SUBRULE3(this.optionValue);
  });

  setgroupsOption = this.RULE("setgroupsOption", () => {
    this.CONSUME(T.Setgroups);
    this.OR({
      ERR_MSG: "'allow' or 'deny'",
      DEF: [
        { ALT: () => this.CONSUME(T.Allow) },
        { ALT: () => this.CONSUME(T.Deny) },
      ],
    });
  });

  propagationOption = this.RULE("propagationOption", () => {
    this.CONSUME(T.Propagation);
    this.OR({
      ERR_MSG: "'private', 'slave', 'shared' or 'unchanged'",
      DEF: [
        { ALT: () => this.CONSUME(T.Private) },
        { ALT: () => this.CONSUME(T.Slave) },
        { ALT: () => this.CONSUME(T.Shared) },
        { ALT: () => this.CONSUME(T.Unchanged) },
      ],
    });
  });

  // Option values stop short of indexing and operators, so they cannot
  // swallow the command after them: `hostname h ["hostname"]`.
  optionValue = this.RULE("optionValue", () => this.OR(this.valueChoice));

  private readonly valueChoice: OrMethodOpts<unknown> = {
    ERR_MSG: "a value",
    DEF: [{ ALT: () => {
      this.SUBRULE(this.primary);
      this.MANY(() => this.SUBRULE(this.valueSuffix));
    } }],
  };

  valueSuffix = this.RULE("valueSuffix", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.args) },
      { ALT: () => {
        this.CONSUME(T.Dot);
        this.CONSUME(T.PropertyName);
      } },
    ]);
  });

  // A choice of one, so that a missing command reads "expected a command"
  // rather than a list of every token an expression may start with. Not a
  // rule of its own, which would cost a rule call per command.
  private readonly command: OrMethodOpts<unknown> = {
    ERR_MSG: "a command",
    DEF: [{ ALT: () => this.SUBRULE(this.expression) }],
  };
}
