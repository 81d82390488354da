import { logicalTypeName, type AvroNode } from './model';

/** A logical type the specification defines, read from a node whose underlying type allows it. */
export type LogicalType =
  | { readonly name: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly name: Exclude<KnownLogicalName, 'decimal'> };

type KnownLogicalName =
  | 'decimal'
  | 'uuid'
  | 'date'
  | 'time-millis'
  | 'time-micros'
  | 'timestamp-millis'
  | 'timestamp-micros'
  | 'timestamp-nanos'
  | 'local-timestamp-millis'
  | 'local-timestamp-micros'
  | 'local-timestamp-nanos'
  | 'duration';

/** The underlying primitive each non-decimal logical type needs (fixed-based ones handled apart). */
const primitiveOf: Readonly<Record<string, string>> = {
  uuid: 'string',
  date: 'int',
  'time-millis': 'int',
  'time-micros': 'long',
  'timestamp-millis': 'long',
  'timestamp-micros': 'long',
  'timestamp-nanos': 'long',
  'local-timestamp-millis': 'long',
  'local-timestamp-micros': 'long',
  'local-timestamp-nanos': 'long',
};

/** The largest decimal precision a fixed of `size` bytes holds (two's complement). */
function maxFixedPrecision(size: number): number {
  if (size <= 0) return 0;
  return Math.floor(Math.log10(2) * (8 * size - 1));
}

/**
 * The logical type of a node, or undefined when it has none or an invalid one. The specification
 * says an invalid logical type (decimal with scale > precision, `date` on a string, an unknown
 * name) is ignored and the underlying type used; Avro Java and Confluent do the same, so we do.
 */
export function logicalTypeOf(node: AvroNode): LogicalType | undefined {
  const name = logicalTypeName(node);
  if (name === undefined || node.kind === 'union') return undefined;
  if (name === 'decimal') {
    const isBytes = node.kind === 'primitive' && node.name === 'bytes';
    if (!isBytes && node.kind !== 'fixed') return undefined;
    const precision = node.attrs.precision;
    const scale = node.attrs.scale ?? 0;
    if (!Number.isInteger(precision) || (precision as number) < 1) return undefined;
    if (!Number.isInteger(scale) || (scale as number) < 0 || (scale as number) > (precision as number))
      return undefined;
    if (node.kind === 'fixed' && (precision as number) > maxFixedPrecision(node.size)) return undefined;
    return { name, precision: precision as number, scale: scale as number };
  }
  if (name === 'duration') return node.kind === 'fixed' && node.size === 12 ? { name } : undefined;
  if (name === 'uuid' && node.kind === 'fixed') return node.size === 16 ? { name } : undefined;
  const primitive = primitiveOf[name];
  if (primitive === undefined || node.kind !== 'primitive' || node.name !== primitive) return undefined;
  return { name: name as Exclude<KnownLogicalName, 'decimal'> };
}

/** A label for messages: `decimal(10,2)`, `timestamp-millis`. */
export function logicalLabel(logical: LogicalType): string {
  return logical.name === 'decimal' ? `decimal(${logical.precision},${logical.scale})` : logical.name;
}

/**
 * Why values written with logical type `writer` mean something else when read with `reader`, or
 * undefined when they keep their meaning. Only a pair of recognised logical types is compared:
 * adding a logical type to plain data (or dropping one) is the usual way to evolve and Avro
 * readers handle it.
 */
export function logicalMismatch(reader: LogicalType, writer: LogicalType): string | undefined {
  if (reader.name === 'decimal' && writer.name === 'decimal') {
    if (reader.scale !== writer.scale) {
      return `the scale changes from ${writer.scale} to ${reader.scale}, so the same unscaled number reads as a value ${10 ** Math.abs(reader.scale - writer.scale)} times ${reader.scale > writer.scale ? 'smaller' : 'larger'}`;
    }
    if (reader.precision < writer.precision) {
      return `the precision shrinks from ${writer.precision} to ${reader.precision} digits, so written values may not fit`;
    }
    return undefined;
  }
  if (reader.name === writer.name) return undefined;
  return `values written as ${logicalLabel(writer)} are read as ${logicalLabel(reader)}, so the same number means a different value`;
}
