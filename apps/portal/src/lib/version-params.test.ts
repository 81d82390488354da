import { describe, expect, it } from 'vitest';
import { pickVersions } from './version-params';

describe('pickVersions', () => {
  it('defaults to the latest, compared with the one before', () => {
    expect(pickVersions([1, 2, 4], {})).toEqual({ shown: 4, compare: { from: 2, to: 4 } });
  });

  it('takes versions from the query when the subject has them', () => {
    expect(pickVersions([1, 2, 4], { version: '1', from: '1', to: '2' })).toEqual({
      shown: 1,
      compare: { from: 1, to: 2 },
    });
    expect(pickVersions([1, 2, 4], { version: ['2', '4'] })).toMatchObject({ shown: 2 });
  });

  it('ignores absent, malformed and unknown versions', () => {
    expect(pickVersions([1, 2], { version: '3', from: 'x', to: '1.5' })).toEqual({
      shown: 2,
      compare: { from: 1, to: 2 },
    });
  });

  it('has nothing to compare with one version, and nothing at all with none', () => {
    expect(pickVersions([3], { from: '3' })).toEqual({ shown: 3, compare: null });
    expect(pickVersions([], {})).toBeNull();
  });
});
