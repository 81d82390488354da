import { describe, expect, it } from 'vitest';
import { locate, pointerSegments, positionAt } from './locate';

/** The 1-based line/column of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string, from = 0): { line: number; column: number } {
  const offset = text.indexOf(needle, from);
  if (offset < 0) throw new Error(`'${needle}' not in text`);
  return positionAt(text, offset);
}

const jsonSchema = `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "id": { "type": "string" },
    "total": {
      "type": "number",
      "minimum": 0
    },
    "a/b": { "type": "string" },
    "items": {
      "type": "array",
      "items": [{ "type": "string" }, { "type": "integer" }]
    }
  },
  "additionalProperties": false
}
`;

describe('locate: JSON Schema pointers', () => {
  it('points at the key of the property the pointer names', () => {
    expect(locate('JSON', jsonSchema, '#/properties/total/type')).toEqual(positionOf(jsonSchema, '"type": "number"'));
    expect(locate('JSON', jsonSchema, '#/properties/total')).toEqual(positionOf(jsonSchema, '"total"'));
    expect(locate('JSON', jsonSchema, '/additionalProperties')).toEqual(
      positionOf(jsonSchema, '"additionalProperties"'),
    );
  });

  it('follows array indices and escaped segments', () => {
    expect(locate('JSON', jsonSchema, '#/properties/items/items/1')).toEqual(
      positionOf(jsonSchema, '{ "type": "integer" }'),
    );
    expect(locate('JSON', jsonSchema, '#/properties/a~1b')).toEqual(positionOf(jsonSchema, '"a/b"'));
    expect(locate('JSON', jsonSchema, '#/properties/a%7E1b')).toEqual(positionOf(jsonSchema, '"a/b"'));
  });

  it('falls back to the nearest ancestor that exists (a removed property)', () => {
    expect(locate('JSON', jsonSchema, '#/properties/removed/type')).toEqual(positionOf(jsonSchema, '"properties"'));
  });

  it('points at the root for the root pointer, and gives up on text that is not JSON', () => {
    expect(locate('JSON', jsonSchema, '#')).toEqual({ line: 1, column: 1 });
    expect(locate('JSON', 'not json at all', '#/properties/x')).toBeUndefined();
  });

  it('decodes pointers', () => {
    expect(pointerSegments('#/properties/a~1b/x~0y')).toEqual(['properties', 'a/b', 'x~y']);
    expect(pointerSegments('#')).toEqual([]);
    expect(pointerSegments('')).toEqual([]);
  });
});

const avroSchema = `{
  "type": "record",
  "name": "Order",
  "namespace": "com.acme",
  "fields": [
    { "name": "id", "type": "string" },
    {
      "name": "items",
      "type": {
        "type": "array",
        "items": {
          "type": "record",
          "name": "Item",
          "fields": [
            { "name": "sku", "type": "string" },
            { "name": "qty", "type": "int" }
          ]
        }
      }
    },
    { "name": "shipping", "type": ["null", "Address"], "default": null },
    { "name": "status", "type": { "type": "enum", "name": "Status", "symbols": ["NEW", "PAID"] } }
  ]
}
`;

const avroWithAddress = avroSchema.replace(
  '"Address"',
  '{ "type": "record", "name": "Address", "fields": [{ "name": "city", "type": "string" }] }',
);

describe('locate: Avro field paths', () => {
  it("points at a field's name", () => {
    expect(locate('AVRO', avroSchema, 'Order.id')).toEqual(positionOf(avroSchema, '"name": "id"'));
    expect(locate('AVRO', avroSchema, 'com.acme.Order.id')).toEqual(positionOf(avroSchema, '"name": "id"'));
    expect(locate('AVRO', avroSchema, 'id')).toEqual(positionOf(avroSchema, '"name": "id"'));
  });

  it('descends through arrays, maps and unions into nested records', () => {
    expect(locate('AVRO', avroSchema, 'Order.items[].sku')).toEqual(positionOf(avroSchema, '"name": "sku"'));
    expect(locate('AVRO', avroSchema, 'Order.items.qty')).toEqual(positionOf(avroSchema, '"name": "qty"'));
    expect(locate('AVRO', avroWithAddress, 'Order.shipping.city')).toEqual(
      positionOf(avroWithAddress, '"name": "city"'),
    );
    // The engine's notation: union branches in angle brackets, `$` for an unnamed root.
    expect(locate('AVRO', avroWithAddress, 'com.acme.Order.shipping<Address>.city')).toEqual(
      positionOf(avroWithAddress, '"name": "city"'),
    );
    const arrayRoot = `{ "type": "array", "items": ${avroSchema} }`;
    expect(locate('AVRO', arrayRoot, '$[].items[].qty')).toEqual(positionOf(arrayRoot, '"name": "qty"'));
  });

  it('finds named types and enum symbols', () => {
    expect(locate('AVRO', avroSchema, 'com.acme.Item')).toEqual(positionOf(avroSchema, '"name": "Item"'));
    expect(locate('AVRO', avroSchema, 'Item.qty')).toEqual(positionOf(avroSchema, '"name": "qty"'));
    expect(locate('AVRO', avroSchema, 'Order.status.PAID')).toEqual(positionOf(avroSchema, '"PAID"'));
  });

  it('falls back to the nearest ancestor (a removed field)', () => {
    expect(locate('AVRO', avroSchema, 'Order.items[].price')).toEqual(positionOf(avroSchema, '"name": "items"'));
    expect(locate('AVRO', avroSchema, 'Order.gone')).toEqual(positionOf(avroSchema, '"name": "Order"'));
  });
});

const proto = `syntax = "proto3";

package shop.v1;

import "google/protobuf/timestamp.proto";

// A customer's order. message Fake { int32 nope = 1; }
message Order {
  option (my.option) = { a: 1 };
  string id = 1;
  repeated Item items = 2 [deprecated = true];
  map<string, string> labels = 3;
  oneof payment {
    string card = 4;
    string iban = 5;
  }
  reserved 6, 7;
  reserved "old";
  google.protobuf.Timestamp created_at = 8;

  message Item {
    string sku = 1;
    int32 qty = 2;
  }

  enum Status {
    STATUS_UNSPECIFIED = 0;
    PAID = 1;
  }
}

service Orders {
  rpc Place(Order) returns (Order);
}
`;

describe('locate: Protobuf declarations', () => {
  it('finds fields, nested messages, enum values, oneofs and rpcs by full name', () => {
    expect(locate('PROTOBUF', proto, 'shop.v1.Order.id')).toEqual(positionOf(proto, 'id = 1'));
    expect(locate('PROTOBUF', proto, 'shop.v1.Order.items')).toEqual(positionOf(proto, 'items = 2'));
    expect(locate('PROTOBUF', proto, 'shop.v1.Order.labels')).toEqual(positionOf(proto, 'labels = 3'));
    expect(locate('PROTOBUF', proto, 'shop.v1.Order.card')).toEqual(positionOf(proto, 'card = 4'));
    expect(locate('PROTOBUF', proto, 'shop.v1.Order.payment')).toEqual(positionOf(proto, 'payment {'));
    expect(locate('PROTOBUF', proto, 'shop.v1.Order.created_at')).toEqual(positionOf(proto, 'created_at = 8'));
    expect(locate('PROTOBUF', proto, 'shop.v1.Order.Item.qty')).toEqual(positionOf(proto, 'qty = 2'));
    expect(locate('PROTOBUF', proto, 'shop.v1.Order.Status.PAID')).toEqual(positionOf(proto, 'PAID = 1'));
    expect(locate('PROTOBUF', proto, 'shop.v1.Orders.Place')).toEqual(positionOf(proto, 'Place('));
  });

  it('ignores comments and accepts paths without the package or with a field number', () => {
    expect(locate('PROTOBUF', proto, 'shop.v1.Order')).toEqual(positionOf(proto, 'Order {'));
    expect(locate('PROTOBUF', proto, 'Order.id')).toEqual(positionOf(proto, 'id = 1'));
    expect(locate('PROTOBUF', proto, 'shop.v1.Order.id#1')).toEqual(positionOf(proto, 'id = 1'));
    expect(locate('PROTOBUF', proto, '.shop.v1.Order.items')).toEqual(positionOf(proto, 'items = 2'));
  });

  it('finds a renamed field by its number, else falls back to the message', () => {
    expect(locate('PROTOBUF', proto, 'shop.v1.Order.identifier#1')).toEqual(positionOf(proto, 'id = 1'));
    expect(locate('PROTOBUF', proto, 'shop.v1.Order.gone#6')).toEqual(positionOf(proto, 'Order {'));
    expect(locate('PROTOBUF', proto, 'other.Thing')).toBeUndefined();
  });
});
