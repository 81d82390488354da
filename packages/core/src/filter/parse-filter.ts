import { InputError } from '../errors';
import { checkCondition, checkScalar } from './check-condition';
import { checkPath, isBareFieldChar, metaField } from './field-path';
import {
  FILTER_LIMITS,
  type FilterCompareOp,
  type FilterCondition,
  type FilterField,
  type FilterNode,
  type FilterScalar,
} from './filter-node';

const COMPARE_OPS: ReadonlyArray<readonly [string, FilterCompareOp]> = [
  ['==', 'eq'],
  ['!=', 'ne'],
  ['<=', 'lte'],
  ['>=', 'gte'],
  ['<', 'lt'],
  ['>', 'gt'],
];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const OPERATOR_CHARS = /^[=!<>&|]$/;

/** A parsed subtree and its depth (a condition has depth 1). */
interface Parsed {
  node: FilterNode;
  depth: number;
}

/**
 * Parses the compact string form, e.g. `region == "EU" && (total >= 100 || !exists(test))`.
 * Throws INVALID_FILTER naming the column (1-based, in UTF-16 code units) and what was expected.
 */
export function parseFilter(text: string): FilterNode {
  if (typeof text !== 'string') throw filterError('the filter must be a string', undefined);
  if (text.length > FILTER_LIMITS.maxTextLength) {
    throw filterError(`the filter is longer than ${FILTER_LIMITS.maxTextLength} characters`, undefined);
  }
  return new Parser(text).parse();
}

function filterError(message: string, column: number | undefined): InputError {
  return new InputError(column === undefined ? message : `at column ${column}: ${message}`, {
    code: 'INVALID_FILTER',
    details: column === undefined ? {} : { column },
  });
}

class Parser {
  private pos = 0;
  private nodes = 0;
  private nesting = 0;

  constructor(private readonly text: string) {}

  parse(): FilterNode {
    const { node } = this.parseOr(undefined);
    this.skipSpace();
    if (this.pos < this.text.length) {
      const found = this.found();
      const hint =
        found === "'and'" || found === "'&'" ? " (use '&&')" : found === "'or'" || found === "'|'" ? " (use '||')" : '';
      throw this.expected("'&&', '||' or end of input", this.text[this.pos] === ')' ? " (unmatched ')')" : hint);
    }
    return node;
  }

  // or-expr = and-expr { "||" and-expr }
  private parseOr(after: string | undefined): Parsed {
    this.skipSpace();
    const start = this.pos;
    const first = this.parseAnd(after);
    const parts = [first];
    while (this.eat('||')) parts.push(this.parseAnd("'||'"));
    return parts.length === 1 ? first : this.group('or', parts, start);
  }

  // and-expr = unary { "&&" unary }
  private parseAnd(after: string | undefined): Parsed {
    this.skipSpace();
    const start = this.pos;
    const first = this.parseUnary(after);
    const parts = [first];
    while (this.eat('&&')) parts.push(this.parseUnary("'&&'"));
    return parts.length === 1 ? first : this.group('and', parts, start);
  }

  // unary = "!" exists-call | "!" unary | "(" or-expr ")" | exists-call | contains-call | comparison
  private parseUnary(after: string | undefined): Parsed {
    this.skipSpace();
    const start = this.pos;
    const ch = this.text[this.pos];
    if (ch === '!' && this.text[this.pos + 1] !== '=') {
      this.pos++;
      this.enter(start);
      this.skipSpace();
      let result: Parsed;
      if (this.atCall('exists')) {
        // `!exists(f)` is the compact spelling of {"exists": false}, so both forms round-trip.
        result = this.parseExists(false);
      } else {
        const inner = this.parseUnary("'!'");
        result = this.wrap({ op: 'not', node: inner.node }, inner.depth + 1, start);
      }
      this.nesting--;
      return result;
    }
    if (ch === '(') {
      this.pos++;
      this.enter(start);
      const inner = this.parseOr("'('");
      this.skipSpace();
      if (this.text[this.pos] !== ')') throw this.expected("'&&', '||' or ')'");
      this.pos++;
      this.nesting--;
      return inner;
    }
    if (this.atCall('exists')) return this.parseExists(true);
    if (this.atCall('contains')) return this.parseContains();
    if (this.atFieldStart()) return this.parseComparison();
    throw this.expected(after === undefined ? 'a condition' : `a condition after ${after}`);
  }

  // exists-call = "exists" "(" field ")"
  private parseExists(value: boolean): Parsed {
    const start = this.pos;
    this.pos += 'exists'.length;
    this.skipSpace();
    this.pos++; // "(", checked by atCall
    this.skipSpace();
    if (!this.atFieldStart()) throw this.expected("a field after 'exists('");
    const field = this.parseField();
    this.skipSpace();
    if (this.text[this.pos] !== ')') throw this.expected("')' after the field");
    this.pos++;
    return this.condition({ op: 'exists', field, value }, 'exists', start);
  }

  // contains-call = "contains" "(" field "," value ")"
  private parseContains(): Parsed {
    const start = this.pos;
    this.pos += 'contains'.length;
    this.skipSpace();
    this.pos++;
    this.skipSpace();
    if (!this.atFieldStart()) throw this.expected("a field after 'contains('");
    const field = this.parseField();
    this.skipSpace();
    if (this.text[this.pos] !== ',') throw this.expected("',' after the field");
    this.pos++;
    this.skipSpace();
    const valueAt = this.pos;
    const value = this.parseValue("','");
    this.skipSpace();
    if (this.text[this.pos] !== ')') throw this.expected("')' after the value");
    this.pos++;
    return this.condition({ op: 'contains', field, value }, 'contains', start, [valueAt]);
  }

  // comparison = field ( compare-op value | "in" list | "not" "in" list )
  private parseComparison(): Parsed {
    const start = this.pos;
    const field = this.parseField();
    const fieldText = this.text.slice(start, this.pos);
    this.skipSpace();
    for (const [symbol, op] of COMPARE_OPS) {
      if (this.text.startsWith(symbol, this.pos)) {
        this.pos += symbol.length;
        this.skipSpace();
        const valueAt = this.pos;
        const value = this.parseValue(`'${symbol}'`);
        return this.condition({ op, field, value }, symbol, start, [valueAt]);
      }
    }
    if (this.atWord('in')) {
      this.pos += 2;
      const { values, positions } = this.parseList('in');
      return this.condition({ op: 'in', field, values }, 'in', start, positions);
    }
    if (this.atWord('not')) {
      const notAt = this.pos;
      this.pos += 3;
      this.skipSpace();
      if (!this.atWord('in')) throw this.expected("'in' after 'not'");
      this.pos += 2;
      const { values, positions } = this.parseList('not in');
      return this.condition({ op: 'nin', field, values }, 'not in', notAt, positions);
    }
    const hint = this.text[this.pos] === '=' ? " (use '==' to compare)" : '';
    throw this.expected(`an operator (==, !=, <, <=, >, >=, in, not in) after '${abbreviate(fieldText)}'`, hint);
  }

  // list = "[" value { "," value } "]"
  private parseList(label: string): { values: FilterScalar[]; positions: number[] } {
    this.skipSpace();
    if (this.text[this.pos] !== '[') throw this.expected(`'[' after '${label}'`);
    this.pos++;
    this.skipSpace();
    const values: FilterScalar[] = [];
    const positions: number[] = [];
    if (this.text[this.pos] === ']') throw this.expected(`a value ('${label}' needs at least one)`);
    for (;;) {
      this.skipSpace();
      this.count(1, this.pos);
      positions.push(this.pos);
      values.push(this.parseValue(values.length === 0 ? "'['" : "','"));
      this.skipSpace();
      const ch = this.text[this.pos];
      this.pos++;
      if (ch === ']') return { values, positions };
      if (ch !== ',') {
        this.pos--;
        throw this.expected("',' or ']' in the list");
      }
    }
  }

  // field = ["$"] segment { "." segment }; segment = { bare-char | "\" any-char }
  private parseField(): FilterField {
    const start = this.pos;
    if (this.text[this.pos] === '$') {
      this.pos++;
      const nameStart = this.pos;
      while (this.pos < this.text.length && isBareFieldChar(this.text[this.pos] ?? '')) this.pos++;
      const name = this.text.slice(nameStart, this.pos);
      if (this.text[this.pos] === '.') throw this.fail(`the meta field '$${name}' has no sub-fields`, this.pos);
      const field = metaField(name);
      if (typeof field === 'string') throw this.fail(field, start);
      return field;
    }
    const path: string[] = [];
    let segment = '';
    for (;;) {
      const code = this.text.codePointAt(this.pos);
      if (code === undefined) break;
      const ch = String.fromCodePoint(code);
      if (ch === '\\') {
        const next = this.text.codePointAt(this.pos + 1);
        if (next === undefined) {
          this.pos++;
          throw this.expected("a character after '\\' in the field");
        }
        const escaped = String.fromCodePoint(next);
        segment += escaped;
        this.pos += 1 + escaped.length;
      } else if (ch === '.') {
        path.push(segment);
        segment = '';
        this.pos++;
      } else if (isBareFieldChar(ch)) {
        segment += ch;
        this.pos += ch.length;
      } else {
        break;
      }
    }
    path.push(segment);
    const error = checkPath(path);
    if (error) throw this.fail(error, start);
    return { kind: 'data', path };
  }

  // value = string | number | "true" | "false" | "null"
  private parseValue(after: string): FilterScalar {
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '"') return this.parseString();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.parseNumber(after);
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.atWord(word)) {
        this.pos += word.length;
        return value;
      }
    }
    let hint = '';
    if (ch === "'") hint = ' (strings use double quotes)';
    else if (ch !== undefined && isBareFieldChar(ch))
      hint = ' (strings need double quotes; a filter compares a field with a literal)';
    throw this.expected(`a value after ${after}`, hint);
  }

  private parseNumber(after: string): number {
    const start = this.pos;
    NUMBER.lastIndex = start;
    const match = NUMBER.exec(this.text);
    const next = match ? this.text[start + match[0].length] : undefined;
    if (!match) throw this.expected(`a value after ${after}`);
    if (next !== undefined && (next === '.' || isBareFieldChar(next))) {
      const junk = /[\w.+-]*/y;
      junk.lastIndex = start;
      throw this.fail(`'${abbreviate(junk.exec(this.text)?.[0] ?? '')}' is not a number`, start);
    }
    const value = Number(match[0]);
    if (!Number.isFinite(value)) throw this.fail(`the number ${abbreviate(match[0])} is out of range`, start);
    this.pos += match[0].length;
    return value === 0 ? 0 : value; // no -0: it would not survive a round trip
  }

  private parseString(): string {
    const open = this.pos;
    this.pos++;
    let value = '';
    let chunk = this.pos;
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) throw this.expected(`'"' to close the string opened at column ${open + 1}`);
      if (ch === '"') break;
      if (ch === '\\') {
        value += this.text.slice(chunk, this.pos);
        value += this.parseEscape();
        chunk = this.pos;
      } else if (ch < ' ') {
        throw this.fail(
          `the control character U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} must be escaped in a string`,
          this.pos,
        );
      } else {
        this.pos++;
      }
    }
    value += this.text.slice(chunk, this.pos);
    this.pos++;
    const error = checkScalar(value);
    if (error) throw this.fail(error, open);
    return value;
  }

  private parseEscape(): string {
    this.pos++;
    const ch = this.text[this.pos];
    const simple = ch === undefined ? undefined : SIMPLE_ESCAPES[ch];
    if (simple !== undefined) {
      this.pos++;
      return simple;
    }
    if (ch === 'u') {
      const hex = this.text.slice(this.pos + 1, this.pos + 5);
      if (/^[0-9a-fA-F]{4}$/.test(hex)) {
        this.pos += 5;
        return String.fromCharCode(parseInt(hex, 16));
      }
      this.pos++;
      throw this.expected("four hex digits after '\\u'");
    }
    throw this.expected(`an escape (\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX) after '\\'`);
  }

  /** Checks a condition's operands; an error points at the offending value (`valueAt` holds their positions). */
  private condition(node: FilterCondition, label: string, start: number, valueAt: number[] = []): Parsed {
    const error = checkCondition(node, label);
    if (error) {
      if (node.op === 'in' || node.op === 'nin') {
        const bad = node.values.findIndex((value) => checkCondition({ ...node, values: [value] }, label));
        throw this.fail(error, valueAt[bad] ?? start);
      }
      throw this.fail(error, valueAt[0] ?? start);
    }
    this.count(1, start);
    return { node, depth: 1 };
  }

  private group(op: 'and' | 'or', parts: Parsed[], start: number): Parsed {
    const depth = 1 + Math.max(...parts.map((part) => part.depth));
    return this.wrap({ op, nodes: parts.map((part) => part.node) }, depth, start);
  }

  private wrap(node: FilterNode, depth: number, start: number): Parsed {
    if (depth > FILTER_LIMITS.maxDepth) {
      throw this.fail(`the filter nests deeper than ${FILTER_LIMITS.maxDepth} levels`, start);
    }
    this.count(1, start);
    return { node, depth };
  }

  private count(weight: number, at: number): void {
    this.nodes += weight;
    if (this.nodes > FILTER_LIMITS.maxNodes) {
      throw this.fail(
        `the filter has more than ${FILTER_LIMITS.maxNodes} nodes (conditions, operators and list values)`,
        at,
      );
    }
  }

  // Bounds recursion before the AST exists, so deep parentheses cannot exhaust the stack.
  private enter(start: number): void {
    if (++this.nesting > FILTER_LIMITS.maxDepth) {
      throw this.fail(`the filter nests deeper than ${FILTER_LIMITS.maxDepth} levels`, start);
    }
  }

  private skipSpace(): void {
    for (;;) {
      const ch = this.text[this.pos];
      if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') return;
      this.pos++;
    }
  }

  private eat(symbol: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(symbol, this.pos)) return false;
    this.pos += symbol.length;
    return true;
  }

  /** True at `word` when no field character follows it. */
  private atWord(word: string): boolean {
    if (!this.text.startsWith(word, this.pos)) return false;
    const next = this.text[this.pos + word.length];
    return next === undefined || !(isBareFieldChar(next) || next === '\\' || next === '.');
  }

  /** True at `name(`: a call, not a field that happens to share the name. */
  private atCall(name: string): boolean {
    if (!this.atWord(name)) return false;
    let i = this.pos + name.length;
    while (this.text[i] === ' ' || this.text[i] === '\t' || this.text[i] === '\n' || this.text[i] === '\r') i++;
    return this.text[i] === '(';
  }

  private atFieldStart(): boolean {
    const code = this.text.codePointAt(this.pos);
    if (code === undefined) return false;
    const ch = String.fromCodePoint(code);
    return ch === '\\' || isBareFieldChar(ch);
  }

  /** Describes the text at the current position for "found …". */
  private found(): string {
    const rest = this.text.slice(this.pos, this.pos + 64);
    if (rest === '') return 'end of input';
    const first = String.fromCodePoint(rest.codePointAt(0) ?? 0);
    let end = first.length;
    if (first === '"') {
      const close = rest.indexOf('"', 1);
      end = close === -1 ? rest.length : close + 1;
    } else if (isBareFieldChar(first)) {
      while (end < rest.length && isBareFieldChar(rest[end] ?? '')) end++;
    } else if (OPERATOR_CHARS.test(first)) {
      while (end < rest.length && end < 2 && OPERATOR_CHARS.test(rest[end] ?? '')) end++;
    }
    return `'${abbreviate(rest.slice(0, end))}'`;
  }

  private expected(what: string, hint = ''): InputError {
    return filterError(`expected ${what}, found ${this.found()}${hint}`, this.pos + 1);
  }

  private fail(message: string, at: number): InputError {
    return filterError(message, at + 1);
  }
}

function abbreviate(text: string): string {
  return text.length > 24 ? `${text.slice(0, 24)}…` : text;
}
