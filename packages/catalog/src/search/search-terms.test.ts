import { describe, expect, it } from 'vitest';
import { MAX_SEARCH_WORDS, parseSearchTerms } from './search-terms';

describe('parseSearchTerms', () => {
  it('keeps names whole, lower-cases, drops punctuation and duplicates', () => {
    expect(parseSearchTerms('  Orders.Order-Created  order_id, ORDERS.order-created! ')).toEqual([
      'orders.order-created',
      'order_id',
    ]);
    expect(parseSearchTerms("ord:* & | ! ( ' \\ -x- .")).toEqual(['ord', 'x']);
    expect(parseSearchTerms('Café über')).toEqual(['café', 'über']);
    expect(parseSearchTerms(undefined)).toEqual([]);
    expect(parseSearchTerms('')).toEqual([]);
  });

  it('caps the words and refuses overlong text', () => {
    expect(parseSearchTerms(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' '))).toHaveLength(MAX_SEARCH_WORDS);
    expect(() => parseSearchTerms('x'.repeat(201))).toThrow(/at most 200/);
  });
});
