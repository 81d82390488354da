/** A named declaration in a .proto file: a message, enum, enum value, field, oneof, service or rpc. */
export interface ProtoDeclaration {
  kind: 'message' | 'enum' | 'enum-value' | 'field' | 'oneof' | 'service' | 'rpc';
  /** Fully qualified: the package, enclosing messages/enums/services and the name (`shop.Order.total`). */
  fullName: string;
  /** The field or enum value number, when declared with one. */
  number?: string;
  /** Offset of the name in the text. */
  offset: number;
}

interface Token {
  text: string;
  offset: number;
}

type ScopeKind = 'message' | 'enum' | 'oneof' | 'service' | 'other';

interface Scope {
  kind: ScopeKind;
  name?: string;
}

/** Statements whose `=` is not a field declaration. */
const nonFieldStatements = new Set([
  'option',
  'reserved',
  'extensions',
  'import',
  'package',
  'syntax',
  'edition',
  'message',
  'enum',
  'oneof',
  'extend',
  'service',
  'rpc',
]);

/**
 * Lists the declarations of a .proto file with where their names are, by a tolerant scan (no
 * full parse: it must point at lines even in a file the engine calls invalid).
 */
export function scanProtoDeclarations(text: string): ProtoDeclaration[] {
  const declarations: ProtoDeclaration[] = [];
  const scopes: Scope[] = [];
  let packageName = '';
  let statement: Token[] = [];
  let bracketDepth = 0;

  const prefix = (): string =>
    [packageName, ...scopes.filter((scope) => scope.kind !== 'oneof' && scope.kind !== 'other').map((s) => s.name)]
      .filter((part) => part)
      .join('.');
  const declare = (kind: ProtoDeclaration['kind'], name: Token | undefined, number?: Token): void => {
    if (!name || !isIdentifier(name.text)) return;
    const fullName = [prefix(), name.text].filter((part) => part).join('.');
    declarations.push({ kind, fullName, number: number?.text, offset: name.offset });
  };
  const current = (): ScopeKind | undefined => scopes[scopes.length - 1]?.kind;

  const openBlock = (): void => {
    const [first, second] = statement;
    const keyword = first?.text;
    if ((keyword === 'message' || keyword === 'enum' || keyword === 'service') && second) {
      declare(keyword, second);
      scopes.push({ kind: keyword, name: second.text });
      return;
    }
    if (keyword === 'oneof' && second) {
      declare('oneof', second);
      scopes.push({ kind: 'oneof' });
      return;
    }
    if (keyword === 'rpc') {
      declare('rpc', second);
      scopes.push({ kind: 'other' });
      return;
    }
    const group = statement.findIndex((token) => token.text === 'group');
    if (group >= 0 && statement[group + 1]) {
      // proto2 group: a field and a nested message of the same name.
      declare('message', statement[group + 1]);
      scopes.push({ kind: 'message', name: statement[group + 1]?.text });
      return;
    }
    scopes.push({ kind: 'other' });
  };

  const endStatement = (): void => {
    const keyword = statement[0]?.text;
    const scope = current();
    if (keyword === 'package' && scope === undefined) {
      packageName = statement[1]?.text ?? '';
    } else if (keyword === 'rpc' && scope === 'service') {
      declare('rpc', statement[1]);
    } else if ((scope === 'message' || scope === 'oneof') && keyword && !nonFieldStatements.has(keyword)) {
      const equals = statement.findIndex((token) => token.text === '=');
      if (equals >= 1) declare('field', statement[equals - 1], statement[equals + 1]);
    } else if (scope === 'enum' && keyword && keyword !== 'option' && keyword !== 'reserved') {
      if (statement[1]?.text === '=') declare('enum-value', statement[0], statement[2]);
    }
    statement = [];
  };

  for (const token of tokenize(text)) {
    if (token.text === '[') bracketDepth++;
    if (token.text === ']') bracketDepth = Math.max(0, bracketDepth - 1);
    if (bracketDepth > 0 || token.text === ']') {
      statement.push(token);
    } else if (token.text === '{') {
      openBlock();
      statement = [];
    } else if (token.text === '}') {
      scopes.pop();
      statement = [];
    } else if (token.text === ';') {
      endStatement();
    } else {
      statement.push(token);
    }
  }
  return declarations;
}

function isIdentifier(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text);
}

/** Identifiers (dotted names kept whole), numbers, strings and single punctuation; comments skipped. */
function* tokenize(text: string): Generator<Token> {
  const pattern =
    /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[A-Za-z_.][A-Za-z0-9_.]*|[0-9][A-Za-z0-9_.]*|\S/g;
  for (const match of text.matchAll(pattern)) {
    const value = match[0];
    if (value.startsWith('//') || value.startsWith('/*')) continue;
    yield { text: value, offset: match.index };
  }
}

/**
 * The declaration a Protobuf incompatibility path names (`shop.Order.total`, `shop.Order.total#3`,
 * with or without the package), else its nearest declared ancestor.
 */
export function findProtoDeclaration(
  declarations: readonly ProtoDeclaration[],
  path: string,
): ProtoDeclaration | undefined {
  const [main = '', hash] = path.split('#');
  const number = hash?.match(/^\d+/)?.[0];
  const segments = main
    .replace(/^\./, '')
    .split('.')
    .map((segment) => segment.match(/^[A-Za-z_][A-Za-z0-9_]*/)?.[0] ?? '')
    .filter((segment) => segment !== '');
  for (let length = segments.length; length >= 1; length--) {
    const name = segments.slice(0, length).join('.');
    const found = declarations.find((d) => d.fullName === name) ?? declarations.find((d) => sameName(d.fullName, name));
    if (found) return found;
    if (length === segments.length && number !== undefined && length > 1) {
      // A renamed field: find it by number in its message.
      const parent = segments.slice(0, length - 1).join('.');
      const byNumber = declarations.find(
        (d) =>
          d.kind === 'field' &&
          d.number === number &&
          sameName(d.fullName.slice(0, d.fullName.lastIndexOf('.')), parent),
      );
      if (byNumber) return byNumber;
    }
  }
  return undefined;
}

/** True when two names are the same up to a missing package or outer scope (`shop.Order` ~ `Order`). */
function sameName(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}
