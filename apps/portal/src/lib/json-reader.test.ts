import { describe, expect, it } from 'vitest';
import { JsonReader, ShapeError } from './json-reader';

function shapeError(read: () => unknown): ShapeError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ShapeError);
    return error as ShapeError;
  }
  throw new Error('expected a ShapeError');
}

describe('JsonReader', () => {
  const body = JsonReader.of({
    name: 'n',
    nothing: null,
    flag: true,
    tags: ['a', 'b'],
    nested: { items: [{ id: 'x' }, { id: 2 }] },
  });

  it('reads fields of the documented types', () => {
    expect(body.string('name')).toBe('n');
    expect(body.optionalString('nothing')).toBeNull();
    expect(body.optionalString('missing')).toBeNull();
    expect(body.boolean('flag')).toBe(true);
    expect(body.strings('tags')).toEqual(['a', 'b']);
    expect(body.optionalObject('nothing')).toBeNull();
    expect(body.raw('tags')).toEqual(['a', 'b']);
  });

  it('names the path of the first wrong field', () => {
    expect(shapeError(() => body.string('flag')).message).toBe('$.flag is not a string');
    expect(shapeError(() => body.boolean('name')).path).toBe('$.name');
    expect(shapeError(() => body.strings('nested')).message).toBe('$.nested is not an array');
    expect(shapeError(() => body.object('nested').objects('items', (item) => item.string('id'))).message).toBe(
      '$.nested.items[1].id is not a string',
    );
    expect(shapeError(() => JsonReader.of([])).message).toBe('$ is not an object');
  });
});
