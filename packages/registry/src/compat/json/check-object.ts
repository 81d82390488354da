import type { Incompatibility } from '../types';
import { canonicalText } from './canonical-json-schema';
import type { CompatibilityChecker } from './checker';
import { patternRegex } from './json-values';
import { childNode, displayPath, isObject, syntheticNode, type SchemaNode } from './schema-documents';
import { incompatibility, joinWriterSets, show, showList, type WriterSet } from './writer-set';

/** What the writer says about one property name. */
interface WriterProperty {
  /** Schemas the property's value satisfies (from properties, patternProperties, additionalProperties…). */
  schemas: SchemaNode[];
  /** Some writer schema lists it under `properties`. */
  declared: boolean;
  /** Some writer schema makes it impossible (`false`), so old data never has it. */
  forbidden: boolean;
  /** No writer schema constrains it: old data may hold it with any value. */
  open: boolean;
}

/** How one reader schema constrains a property name, and through which keyword. */
interface ReaderProperty {
  node: SchemaNode;
  via: 'properties' | 'patternProperties' | 'additionalProperties' | 'unevaluatedProperties';
}

function hasOwn(object: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** Property names (and patterns) a schema evaluates in place, for `unevaluatedProperties`. */
function evaluatedNames(c: CompatibilityChecker, node: SchemaNode): { names: Set<string>; patterns: string[] } {
  const names = new Set<string>();
  const patterns: string[] = [];
  const seen = new Set<string>();
  const visit = (current: SchemaNode): void => {
    if (seen.has(current.id) || !isObject(current.value)) return;
    seen.add(current.id);
    const properties = c.keyword(current, 'properties');
    if (isObject(properties)) Object.keys(properties).forEach((k) => names.add(k));
    const patternProperties = c.keyword(current, 'patternProperties');
    if (isObject(patternProperties)) patterns.push(...Object.keys(patternProperties));
    for (const keyword of ['$ref', '$dynamicRef', '$recursiveRef'] as const) {
      const target = c.dereference(current, keyword);
      if (target) visit(target);
    }
    for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
      const members = c.keyword(current, keyword);
      if (Array.isArray(members)) members.forEach((_, i) => visit(childNode(current, keyword, i)));
    }
    for (const keyword of ['if', 'then', 'else']) {
      if (c.keyword(current, keyword) !== undefined) visit(childNode(current, keyword));
    }
    const dependentSchemas = c.keyword(current, 'dependentSchemas');
    if (isObject(dependentSchemas)) {
      Object.keys(dependentSchemas).forEach((k) => visit(childNode(current, 'dependentSchemas', k)));
    }
  };
  visit(node);
  return { names, patterns };
}

/** The schemas one schema node applies to a property name, the way JSON Schema picks them. */
function propertySchemas(c: CompatibilityChecker, node: SchemaNode, name: string): ReaderProperty[] {
  const result: ReaderProperty[] = [];
  const properties = c.keyword(node, 'properties');
  const declared = isObject(properties) && hasOwn(properties, name);
  if (declared) result.push({ node: childNode(node, 'properties', name), via: 'properties' });
  let matched = false;
  const patternProperties = c.keyword(node, 'patternProperties');
  if (isObject(patternProperties)) {
    for (const pattern of Object.keys(patternProperties)) {
      if (patternRegex(pattern)?.test(name)) {
        matched = true;
        result.push({ node: childNode(node, 'patternProperties', pattern), via: 'patternProperties' });
      }
    }
  }
  if (!declared && !matched) {
    if (c.keyword(node, 'additionalProperties') !== undefined) {
      result.push({ node: childNode(node, 'additionalProperties'), via: 'additionalProperties' });
    } else if (c.keyword(node, 'unevaluatedProperties') !== undefined) {
      const evaluated = evaluatedNames(c, node);
      const covered = evaluated.names.has(name) || evaluated.patterns.some((p) => patternRegex(p)?.test(name));
      if (!covered) result.push({ node: childNode(node, 'unevaluatedProperties'), via: 'unevaluatedProperties' });
    }
  }
  return result;
}

function writerProperty(c: CompatibilityChecker, set: WriterSet, name: string): WriterProperty {
  const schemas: SchemaNode[] = [];
  let declared = false;
  for (const entry of set) {
    for (const found of propertySchemas(c, entry.node, name)) {
      if (found.via === 'properties') declared = true;
      schemas.push(found.node);
    }
  }
  return {
    schemas,
    declared,
    forbidden: schemas.some((s) => s.value === false),
    open: schemas.every((s) => c.isTrivial(s)),
  };
}

/** The writer's rule for property names no schema declares or matches by pattern. */
function writerExtras(
  c: CompatibilityChecker,
  set: WriterSet,
): { schemas: SchemaNode[]; closed: boolean; open: boolean } {
  const schemas: SchemaNode[] = [];
  for (const entry of set) {
    for (const keyword of ['additionalProperties', 'unevaluatedProperties']) {
      if (c.keyword(entry.node, keyword) !== undefined) {
        schemas.push(childNode(entry.node, keyword));
        break;
      }
    }
  }
  return {
    schemas,
    closed: schemas.some((s) => s.value === false),
    open: schemas.every((s) => c.isTrivial(s)),
  };
}

function readerExtras(
  c: CompatibilityChecker,
  reader: SchemaNode,
): { node: SchemaNode; keyword: 'additionalProperties' | 'unevaluatedProperties' } | undefined {
  for (const keyword of ['additionalProperties', 'unevaluatedProperties'] as const) {
    if (c.keyword(reader, keyword) !== undefined) return { node: childNode(reader, keyword), keyword };
  }
  return undefined;
}

/** Whether the reader's own schema for a property carries a `default` (Confluent lets a default cover a new required property). */
function readerDefault(c: CompatibilityChecker, reader: SchemaNode, name: string): boolean {
  const properties = c.keyword(reader, 'properties');
  if (!isObject(properties) || !hasOwn(properties, name)) return false;
  return c
    .flatten(childNode(reader, 'properties', name))
    .some((e) => isObject(e.node.value) && 'default' in e.node.value);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Every object rule: properties added/removed under open, closed and partially open content models, required, extras, counts, dependencies, names. */
export function checkObject(c: CompatibilityChecker, set: WriterSet, reader: SchemaNode): Incompatibility[] {
  return [
    ...checkProperties(c, set, reader),
    ...checkRequired(c, set, reader),
    ...checkExtras(c, set, reader),
    ...checkPropertyCounts(c, set, reader),
    ...checkDependencies(c, set, reader),
    ...checkPropertyNames(c, set, reader),
  ];
}

function checkProperties(c: CompatibilityChecker, set: WriterSet, reader: SchemaNode): Incompatibility[] {
  const issues: Incompatibility[] = [];
  const readerProperties = c.keyword(reader, 'properties');
  const names = new Set<string>(isObject(readerProperties) ? Object.keys(readerProperties) : []);
  for (const entry of set) {
    const own = c.keyword(entry.node, 'properties');
    if (isObject(own)) Object.keys(own).forEach((k) => names.add(k));
  }
  const required = new Set(stringList(c.keyword(reader, 'required')));
  for (const name of [...names].sort()) {
    const writer = writerProperty(c, set, name);
    if (writer.forbidden) continue; // old data never holds it, so whatever the reader says is fine
    const readerSchemas = propertySchemas(c, reader, name);
    const readerDeclared = readerSchemas.some((s) => s.via === 'properties');
    const path = displayPath(reader, 'properties', name);
    const writerSet = (): WriterSet => c.flattenAll(writer.schemas);
    if (readerDeclared && writer.declared) {
      for (const schema of readerSchemas) issues.push(...c.check(writerSet(), schema.node));
    } else if (readerDeclared) {
      // Added to the reader. Required additions are reported by checkRequired.
      if (writer.open) {
        if (!required.has(name) && !c.lenient && !readerSchemas.every((s) => c.isTrivial(s.node))) {
          issues.push(
            incompatibility(
              'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
              path,
              `Property ${show(name)} is new, but the old schema allowed any extra property, so old data may already hold ${show(name)} with a value the new schema rejects.`,
              `Close the old model first ("additionalProperties": false) in a version of its own, register with lenient compatibility if producers never sent undeclared properties, or give ${show(name)} an empty schema ({}).`,
              { new: readerSchemas[0]?.node.value },
            ),
          );
        }
      } else {
        const sub = readerSchemas.flatMap((s) => c.check(writerSet(), s.node));
        if (sub.length > 0) {
          issues.push(
            incompatibility(
              'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
              path,
              `Property ${show(name)} is new, and old data may already hold it under the old schema's additionalProperties/patternProperties, which allowed values the new schema rejects: ${sub[0]!.message}`,
              `Make the schema of ${show(name)} accept everything the old additionalProperties/patternProperties schema accepted.`,
              { old: writer.schemas[0]?.value, new: readerSchemas[0]?.node.value },
            ),
          );
        }
      }
    } else if (writer.declared) {
      // Removed from the reader: the reader's additionalProperties/patternProperties now decide.
      if (readerSchemas.length === 0 || readerSchemas.every((s) => c.isTrivial(s.node))) continue;
      if (readerSchemas.some((s) => s.node.value === false)) {
        issues.push(
          incompatibility(
            'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
            path,
            `Property ${show(name)} was removed, but the new schema is closed (additional properties are not allowed), so old data holding ${show(name)} is rejected.`,
            `Keep ${show(name)} in "properties" (mark it deprecated in its description), or allow additional properties.`,
            { old: writer.schemas[0]?.value },
          ),
        );
        continue;
      }
      const sub = readerSchemas.flatMap((s) => c.check(writerSet(), s.node));
      if (sub.length > 0) {
        issues.push(
          incompatibility(
            'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
            path,
            `Property ${show(name)} was removed, and the new schema's additionalProperties/patternProperties schema rejects values old data may hold for it: ${sub[0]!.message}`,
            `Keep ${show(name)} in "properties", or widen the additionalProperties/patternProperties schema to accept its old values.`,
            { old: writer.schemas[0]?.value, new: readerSchemas[0]?.node.value },
          ),
        );
      }
    }
  }
  return issues;
}

function checkRequired(c: CompatibilityChecker, set: WriterSet, reader: SchemaNode): Incompatibility[] {
  const issues: Incompatibility[] = [];
  const required = c.keyword(reader, 'required');
  if (!Array.isArray(required)) return issues;
  required.forEach((name, index) => {
    if (typeof name !== 'string' || c.writerRequires(set, name)) return;
    const writer = writerProperty(c, set, name);
    const hasDefault = readerDefault(c, reader, name);
    const path = displayPath(reader, 'required', index);
    if (writer.declared) {
      if (hasDefault) return;
      issues.push(
        incompatibility(
          'REQUIRED_ATTRIBUTE_ADDED',
          path,
          `Property ${show(name)} is now required, but it was optional, so old data may lack it.`,
          `Keep ${show(name)} optional, or give it a "default" in the new schema.`,
          { new: name },
        ),
      );
    } else if (writer.open) {
      // Lenient mode trusts that producers never sent undeclared properties, so a default is enough.
      if (hasDefault && c.lenient) return;
      issues.push(
        incompatibility(
          hasDefault
            ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL'
            : 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
          path,
          hasDefault
            ? `Required property ${show(name)} is new; it has a default, but the old schema allowed any extra property, so old data may hold ${show(name)} with any value.`
            : `Required property ${show(name)} is new, so old data lacks it (and the old schema allowed it with any value).`,
          hasDefault
            ? `Add ${show(name)} as optional instead, or check with lenient compatibility if producers never sent undeclared properties.`
            : `Add ${show(name)} as an optional property, or give it a "default".`,
          { new: name },
        ),
      );
    } else if (!hasDefault) {
      issues.push(
        incompatibility(
          'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
          path,
          `Required property ${show(name)} is new, so old data lacks it.`,
          `Add ${show(name)} as an optional property, or give it a "default".`,
          { new: name },
        ),
      );
    }
  });
  return issues;
}

function checkExtras(c: CompatibilityChecker, set: WriterSet, reader: SchemaNode): Incompatibility[] {
  const issues: Incompatibility[] = [];
  const readerPatterns = c.keyword(reader, 'patternProperties');
  const readerPatternKeys = isObject(readerPatterns) ? Object.keys(readerPatterns) : [];
  const extras = readerExtras(c, reader);
  const writerPatternKeys = new Set<string>();

  // Names matching a writer pattern: their values follow that pattern's schema.
  for (const entry of set) {
    const patterns = c.keyword(entry.node, 'patternProperties');
    if (!isObject(patterns)) continue;
    for (const pattern of Object.keys(patterns)) {
      writerPatternKeys.add(pattern);
      const schema = childNode(entry.node, 'patternProperties', pattern);
      if (schema.value === false) continue;
      const schemas = [schema];
      let impossible = false;
      for (const other of set) {
        if (other === entry) continue;
        const otherPatterns = c.keyword(other.node, 'patternProperties');
        if (isObject(otherPatterns) && hasOwn(otherPatterns, pattern)) {
          schemas.push(childNode(other.node, 'patternProperties', pattern));
        } else if (!isObject(otherPatterns)) {
          const otherExtras = writerExtras(c, [other]);
          if (otherExtras.closed) impossible = true;
          schemas.push(...otherExtras.schemas);
        }
      }
      if (impossible) continue;
      const writerSet = c.flattenAll(schemas);
      if (readerPatternKeys.includes(pattern)) {
        issues.push(...c.check(writerSet, childNode(reader, 'patternProperties', pattern)));
      } else if (extras && !c.isTrivial(extras.node)) {
        if (extras.node.value === false) {
          issues.push(
            incompatibility(
              extras.keyword === 'additionalProperties'
                ? 'ADDITIONAL_PROPERTIES_REMOVED'
                : 'UNEVALUATED_PROPERTIES_REMOVED',
              displayPath(extras.node),
              `The old schema allowed properties matching ${show(pattern)}; the new one no longer lists that pattern and allows no other properties.`,
              `Keep ${show(pattern)} in "patternProperties".`,
              { old: schema.value, new: false },
            ),
          );
        } else {
          issues.push(...c.check(writerSet, extras.node));
        }
      }
    }
  }

  const writer = writerExtras(c, set);
  // New reader patterns: old data may hold matching names as undeclared properties.
  for (const pattern of readerPatternKeys) {
    if (writerPatternKeys.has(pattern) || writer.closed) continue;
    const schema = childNode(reader, 'patternProperties', pattern);
    if (c.isTrivial(schema)) continue;
    if (writer.open) {
      issues.push(
        incompatibility(
          'ADDITIONAL_PROPERTIES_NARROWED',
          displayPath(schema),
          `The new schema constrains properties matching ${show(pattern)}, but the old schema allowed any extra property, so old data may hold such properties with other values.`,
          `Drop the new pattern, or introduce it together with a closed model in a separate version.`,
          { new: schema.value },
        ),
      );
    } else {
      issues.push(...c.check(c.flattenAll(writer.schemas), schema));
    }
  }

  // Every other name: the reader's additionalProperties/unevaluatedProperties decides.
  if (!extras || writer.closed || c.isTrivial(extras.node)) return issues;
  const removed =
    extras.keyword === 'additionalProperties' ? 'ADDITIONAL_PROPERTIES_REMOVED' : 'UNEVALUATED_PROPERTIES_REMOVED';
  const narrowed =
    extras.keyword === 'additionalProperties' ? 'ADDITIONAL_PROPERTIES_NARROWED' : 'UNEVALUATED_PROPERTIES_NARROWED';
  if (extras.node.value === false) {
    issues.push(
      incompatibility(
        removed,
        displayPath(extras.node),
        `The new schema allows no ${extras.keyword === 'additionalProperties' ? 'additional' : 'unevaluated'} properties, but the old schema allowed them, so old data may hold properties the new schema rejects.`,
        `Keep the content model open (remove "${extras.keyword}": false), or declare every property old data may hold.`,
        { old: writer.schemas[0]?.value ?? true, new: false },
      ),
    );
  } else if (writer.open) {
    issues.push(
      incompatibility(
        narrowed,
        displayPath(extras.node),
        `The new schema constrains ${extras.keyword === 'additionalProperties' ? 'additional' : 'unevaluated'} properties, but the old schema allowed any, so old data may hold extra properties the new schema rejects.`,
        `Remove the "${extras.keyword}" schema, or make it accept any value.`,
        { old: true, new: extras.node.value },
      ),
    );
  } else {
    issues.push(...c.check(c.flattenAll(writer.schemas), extras.node));
  }
  return issues;
}

function checkPropertyCounts(c: CompatibilityChecker, set: WriterSet, reader: SchemaNode): Incompatibility[] {
  const issues: Incompatibility[] = [];
  const numbers = (keyword: string): number[] =>
    set.map((e) => c.keyword(e.node, keyword)).filter((v): v is number => typeof v === 'number');
  const maxProperties = c.keyword(reader, 'maxProperties');
  if (typeof maxProperties === 'number') {
    const limits = numbers('maxProperties');
    // A closed writer can only ever hold its declared properties.
    for (const entry of set) {
      const properties = c.keyword(entry.node, 'properties');
      if (
        c.keyword(entry.node, 'additionalProperties') === false &&
        c.keyword(entry.node, 'patternProperties') === undefined
      ) {
        limits.push(isObject(properties) ? Object.keys(properties).length : 0);
      }
    }
    const writerMax = limits.length > 0 ? Math.min(...limits) : undefined;
    if (writerMax === undefined || writerMax > maxProperties) {
      issues.push(
        incompatibility(
          writerMax === undefined ? 'MAX_PROPERTIES_ADDED' : 'MAX_PROPERTIES_DECREASED',
          displayPath(reader, 'maxProperties'),
          `The new schema allows at most ${maxProperties} properties; old objects may have ${writerMax === undefined ? 'more' : writerMax}.`,
          writerMax === undefined ? `Remove "maxProperties".` : `Keep "maxProperties" at ${writerMax} or more.`,
          { old: numbers('maxProperties')[0], new: maxProperties },
        ),
      );
    }
  }
  const minProperties = c.keyword(reader, 'minProperties');
  if (typeof minProperties === 'number' && minProperties > 0) {
    const declaredMin = numbers('minProperties');
    const requiredCount = new Set(set.flatMap((e) => stringList(c.keyword(e.node, 'required')))).size;
    const writerMin = Math.max(requiredCount, ...declaredMin);
    if (writerMin < minProperties) {
      issues.push(
        incompatibility(
          declaredMin.length === 0 ? 'MIN_PROPERTIES_ADDED' : 'MIN_PROPERTIES_INCREASED',
          displayPath(reader, 'minProperties'),
          `The new schema requires at least ${minProperties} properties; old objects may have ${writerMin}.`,
          declaredMin.length === 0 ? `Remove "minProperties".` : `Keep "minProperties" at ${writerMin} or less.`,
          { old: declaredMin[0], new: minProperties },
        ),
      );
    }
  }
  return issues;
}

function checkDependencies(c: CompatibilityChecker, set: WriterSet, reader: SchemaNode): Incompatibility[] {
  const issues: Incompatibility[] = [];
  const writerArrays = (name: string): Set<string> => {
    const found = new Set<string>();
    for (const entry of set) {
      for (const keyword of ['dependencies', 'dependentRequired']) {
        const map = c.keyword(entry.node, keyword);
        if (isObject(map)) stringList(map[name]).forEach((q) => found.add(q));
      }
    }
    return found;
  };
  const writerSchemas = (name: string): SchemaNode[] =>
    set.flatMap((entry) =>
      ['dependencies', 'dependentSchemas'].flatMap((keyword) => {
        const map = c.keyword(entry.node, keyword);
        return isObject(map) && hasOwn(map, name) && !Array.isArray(map[name])
          ? [childNode(entry.node, keyword, name)]
          : [];
      }),
    );
  for (const keyword of ['dependencies', 'dependentRequired', 'dependentSchemas']) {
    const map = c.keyword(reader, keyword);
    if (!isObject(map)) continue;
    for (const name of Object.keys(map).sort()) {
      if (writerProperty(c, set, name).forbidden) continue; // the trigger never occurs in old data
      const dependency = map[name];
      const path = displayPath(reader, keyword, name);
      if (Array.isArray(dependency)) {
        if (keyword === 'dependentSchemas') continue;
        const existing = writerArrays(name);
        const missing = stringList(dependency).filter(
          (q) => q !== name && !existing.has(q) && !c.writerRequires(set, q),
        );
        if (missing.length === 0) continue;
        issues.push(
          incompatibility(
            existing.size === 0
              ? 'DEPENDENCY_ARRAY_ADDED'
              : [...existing].every((q) => dependency.includes(q))
                ? 'DEPENDENCY_ARRAY_EXTENDED'
                : 'DEPENDENCY_ARRAY_CHANGED',
            path,
            `When ${show(name)} is present the new schema also requires ${showList(missing)}; old data may have ${show(name)} without ${missing.length === 1 ? 'it' : 'them'}.`,
            `Remove ${showList(missing)} from the dependency of ${show(name)}.`,
            { old: existing.size === 0 ? undefined : [...existing], new: dependency },
          ),
        );
      } else if (keyword !== 'dependentRequired') {
        const schema = childNode(reader, keyword, name);
        if (c.isTrivial(schema)) continue;
        const existing = writerSchemas(name);
        const trigger = syntheticNode(reader, { type: 'object', required: [name] });
        const caseSet = joinWriterSets(set, [{ node: trigger }], c.flattenAll(existing));
        const sub = c.check(caseSet, schema);
        if (sub.length === 0) continue;
        if (existing.length > 0) {
          issues.push(...sub);
        } else {
          issues.push(
            incompatibility(
              'DEPENDENCY_SCHEMA_ADDED',
              path,
              `The new schema adds a dependent schema for ${show(name)} that old data holding ${show(name)} may not meet: ${sub[0]!.message}`,
              `Remove the dependent schema of ${show(name)}, or make it accept what old data holds.`,
              { new: schema.value },
            ),
          );
        }
      }
    }
  }
  return issues;
}

function checkPropertyNames(c: CompatibilityChecker, set: WriterSet, reader: SchemaNode): Incompatibility[] {
  if (c.keyword(reader, 'propertyNames') === undefined) return [];
  const schema = childNode(reader, 'propertyNames');
  if (c.isTrivial(schema)) return [];
  const target = canonicalText(schema.value);
  if (
    set.some(
      (e) =>
        c.keyword(e.node, 'propertyNames') !== undefined &&
        canonicalText(childNode(e.node, 'propertyNames').value) === target,
    )
  ) {
    return [];
  }
  // A closed writer holds only its declared names: check each of them.
  for (const entry of set) {
    if (
      c.keyword(entry.node, 'additionalProperties') !== false ||
      c.keyword(entry.node, 'patternProperties') !== undefined
    )
      continue;
    const properties = c.keyword(entry.node, 'properties');
    const names = (isObject(properties) ? Object.keys(properties) : []).filter(
      (n) => !writerProperty(c, set, n).forbidden,
    );
    const rejected = names.filter((n) => !c.matchesScalar(schema, n));
    if (rejected.length === 0) return [];
    return [
      incompatibility(
        'PROPERTY_NAMES_NARROWED',
        displayPath(schema),
        `The new propertyNames schema rejects the property name(s) ${showList(rejected)}, which old data may hold.`,
        `Make "propertyNames" accept ${showList(rejected)}.`,
        { new: schema.value },
      ),
    ];
  }
  const writerNames = set.filter((e) => c.keyword(e.node, 'propertyNames') !== undefined);
  if (writerNames.length > 0) {
    const names = c.flattenAll(writerNames.map((e) => childNode(e.node, 'propertyNames')));
    return c.check(joinWriterSets(names, [{ node: syntheticNode(reader, { type: 'string' }) }]), schema);
  }
  return [
    incompatibility(
      'PROPERTY_NAMES_NARROWED',
      displayPath(schema),
      `The new schema restricts property names, but the old schema allowed any name, so old data may hold names it rejects.`,
      `Remove "propertyNames", or restrict names only in a closed model that lists every property.`,
      { new: schema.value },
    ),
  ];
}
