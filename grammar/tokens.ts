// Every token of the language, in the order the lexer tries them. Labels
// are what syntax errors call a token ("expected a name after 'let'").

import { createToken, Lexer, type TokenType } from "chevrotain";
import { matchString } from "./strings.js";

// ---------------------------------------------------------- categories
// Categories match no text themselves; the parser consumes a category to
// accept any token in it.

/** A literal or name: an expression all by itself. */
export const Leaf = createToken({
  name: "Leaf", pattern: Lexer.NA, label: "an expression",
});
/** Anything that may follow a dot: names and every keyword. */
export const PropertyName = createToken({
  name: "PropertyName", pattern: Lexer.NA, label: "a name",
});
export const Kind = createToken({
  name: "Kind", pattern: Lexer.NA,
  label: "a namespace kind " +
    "(user, mnt, pid, net, uts, ipc, cgroup, time, all)",
});
export const Separator = createToken({
  name: "Separator", pattern: Lexer.NA, label: "end of line",
});
export const AndOp = createToken({
  name: "AndOp", pattern: Lexer.NA, label: "'and'",
});
export const OrOp = createToken({
  name: "OrOp", pattern: Lexer.NA, label: "'or'",
});
export const NotOp = createToken({
  name: "NotOp", pattern: Lexer.NA, label: "'not'",
});
export const ComparisonOp = createToken({
  name: "ComparisonOp", pattern: Lexer.NA, label: "a comparison",
});
export const AdditiveOp = createToken({
  name: "AdditiveOp", pattern: Lexer.NA, label: "'+' or '-'",
});
export const MultiplicativeOp = createToken({
  name: "MultiplicativeOp", pattern: Lexer.NA, label: "'*', '/' or '%'",
});

/** Never lexed: `ns` or `compare` before `(`, a builtin's name (retag.ts). */
export const BuiltinName = createToken({
  name: "BuiltinName", pattern: Lexer.NA, categories: [PropertyName],
  label: "a builtin name",
});

/** Never lexed: a name called without parentheses, `print` in `print x`. */
export const CommandName = createToken({
  name: "CommandName", pattern: Lexer.NA, label: "a name",
});

/** Never lexed: stands for `${` around an interpolated expression. */
export const DollarBrace = createToken({
  name: "DollarBrace", pattern: Lexer.NA, label: "'${'",
});

// ------------------------------------------------------ trivia and values

export const WhiteSpace = createToken({
  name: "WhiteSpace", pattern: /[ \t\f\uFEFF]+/, group: Lexer.SKIPPED,
});
// A `#!` shebang line is a comment like any other.
export const Comment = createToken({
  name: "Comment", pattern: /#[^\r\n]*/, group: Lexer.SKIPPED,
});
export const Newline = createToken({
  name: "Newline", pattern: /\r\n|\r|\n/, line_breaks: true,
  categories: [Separator], label: "end of line",
});
export const NumberLit = createToken({
  name: "NumberLit", pattern: /\d+(?:\.\d+)?/, categories: [Leaf],
  label: "a number",
});
export const StringLit = createToken({
  name: "StringLit",
  pattern: { exec: matchString },
  start_chars_hint: ['"', "'"],
  line_breaks: true,
  categories: [Leaf],
  label: "a string",
});
export const Identifier = createToken({
  name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [PropertyName, Leaf], label: "a name",
});

// ------------------------------------------------------------- keywords

/**
 * Each keyword's type by its text. Keywords are lexed as names, and the
 * lexer's after-pass gives a name its keyword's type: one pattern for all
 * words is much cheaper than trying each keyword's pattern first.
 */
export const KEYWORDS = new Map<string, TokenType>();

function word(text: string, categories: TokenType[]): TokenType {
  const type = createToken({
    name: text[0].toUpperCase() + text.slice(1),
    pattern: Lexer.NA,
    categories,
    label: `'${text}'`,
  });
  KEYWORDS.set(text, type);
  return type;
}

/** A reserved word: never a variable name, but fine after a dot. */
function hard(text: string, ...categories: TokenType[]): TokenType {
  return word(text, [PropertyName, ...categories]);
}

/** A word that means something only where the grammar asks for it. */
function soft(text: string, ...categories: TokenType[]): TokenType {
  return word(text, [Identifier, ...categories]);
}

export const Let = hard("let");
export const Fn = hard("fn");
export const Return = hard("return");
export const If = hard("if");
export const Else = hard("else");
export const For = hard("for");
export const In = hard("in");
export const While = hard("while");
export const Break = hard("break");
export const Continue = hard("continue");
export const Try = hard("try");
export const Catch = hard("catch");
export const Expect = hard("expect");
export const Spawn = hard("spawn");
export const Clone = hard("clone");
export const Unshare = hard("unshare");
export const Setns = hard("setns");
export const Ns = hard("ns");
export const Compare = hard("compare");
export const True = hard("true", Leaf);
export const False = hard("false", Leaf);
export const Null = hard("null", Leaf);
export const Host = hard("host", Leaf);
export const And = hard("and", AndOp);
export const Or = hard("or", OrOp);
export const Not = hard("not", NotOp);
export const Contains = hard("contains", ComparisonOp);
export const Matches = hard("matches", ComparisonOp);

export const User = soft("user", Kind);
export const Mnt = soft("mnt", Kind);
export const Mount = soft("mount", Kind);
export const Pid = soft("pid", Kind);
export const Net = soft("net", Kind);
export const Uts = soft("uts", Kind);
export const Ipc = soft("ipc", Kind);
export const Cgroup = soft("cgroup", Kind);
export const Time = soft("time", Kind);
export const All = soft("all", Kind);

// Not `Map`, which would hide the global Map in this module.
export const MapWord = soft("map");
export const Uidmap = soft("uidmap");
export const Gidmap = soft("gidmap");
export const Root = soft("root");
export const Proc = soft("proc");
export const Propagation = soft("propagation");
export const Private = soft("private");
export const Slave = soft("slave");
export const Shared = soft("shared");
export const Unchanged = soft("unchanged");
export const Hostname = soft("hostname");
export const Cwd = soft("cwd");
export const Capture = soft("capture");
export const Setgroups = soft("setgroups");
export const Allow = soft("allow");
export const Deny = soft("deny");
export const Offset = soft("offset");
export const Monotonic = soft("monotonic");
export const Boottime = soft("boottime");

const KEYWORD_TYPES = [
  Let, Fn, Return, If, Else, For, In, While, Break, Continue, Try, Catch,
  Expect, Spawn, Clone, Unshare, Setns, Ns, Compare, True, False, Null,
  Host, And, Or, Not, Contains, Matches,
  User, Mnt, Mount, Pid, Net, Uts, Ipc, Cgroup, Time, All,
  MapWord, Uidmap, Gidmap, Root, Proc, Propagation, Private, Slave, Shared,
  Unchanged, Hostname, Cwd, Capture, Setgroups, Allow, Deny,
  Offset, Monotonic, Boottime,
];

// ---------------------------------------------------------- punctuation

// A string pattern matches literally; one character long, the lexer
// compares it as a character code instead of running a regular expression.
function punct(name: string, text: string, ...categories: TokenType[]) {
  return createToken({ name, pattern: text, categories, label: `'${text}'` });
}

export const LParen = punct("LParen", "(");
export const RParen = punct("RParen", ")");
export const LBracket = punct("LBracket", "[");
export const RBracket = punct("RBracket", "]");
export const LCurly = punct("LCurly", "{");
export const RCurly = punct("RCurly", "}");
export const Comma = punct("Comma", ",");
export const Semicolon = punct("Semicolon", ";", Separator);
export const Dot = punct("Dot", ".");
export const EqEq = punct("EqEq", "==", ComparisonOp);
export const NotEq = punct("NotEq", "!=", ComparisonOp);
export const LessEq = punct("LessEq", "<=", ComparisonOp);
export const GreaterEq = punct("GreaterEq", ">=", ComparisonOp);
export const Less = punct("Less", "<", ComparisonOp);
export const Greater = punct("Greater", ">", ComparisonOp);
export const Assign = punct("Assign", "=");
export const Plus = punct("Plus", "+", AdditiveOp);
export const Minus = punct("Minus", "-", AdditiveOp);
export const Star = punct("Star", "*", MultiplicativeOp);
export const Slash = punct("Slash", "/", MultiplicativeOp);
export const Percent = punct("Percent", "%", MultiplicativeOp);
export const AmpAmp = punct("AmpAmp", "&&", AndOp);
export const PipePipe = punct("PipePipe", "||", OrOp);
export const Bang = punct("Bang", "!", NotOp);
export const Amp = punct("Amp", "&");

// Two-character operators come before their one-character prefixes.
const PUNCTUATION = [
  LParen, RParen, LBracket, RBracket, LCurly, RCurly, Comma, Semicolon,
  Dot, EqEq, NotEq, LessEq, GreaterEq, Less, Greater, Assign, Plus, Minus,
  Star, Slash, Percent, AmpAmp, PipePipe, Bang, Amp,
];

/**
 * All tokens in match order: chevrotain takes the first pattern that
 * matches. Keywords and categories match nothing themselves.
 */
export const allTokens: TokenType[] = [
  WhiteSpace, Comment, Newline, NumberLit, StringLit,
  ...KEYWORD_TYPES,
  Identifier,
  ...PUNCTUATION,
  Leaf, PropertyName, Kind, Separator, AndOp, OrOp, NotOp, ComparisonOp,
  AdditiveOp, MultiplicativeOp, BuiltinName, CommandName, DollarBrace,
];
