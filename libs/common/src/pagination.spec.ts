import { clampLimit, decodeCursor, encodeCursor, toPage } from './pagination';
import { DomainError } from './domain-error';

describe('pagination', () => {
  it('round-trips a cursor', () => {
    expect(decodeCursor(encodeCursor({ id: 42, name: 'x' }))).toEqual({ id: 42, name: 'x' });
  });

  it('rejects a forged cursor with a validation error', () => {
    expect(() => decodeCursor('not-base64-json')).toThrow(DomainError);
  });

  it.each([['{}'], ['[1]'], ['"x"'], ['{"id":"1"}'], ['{"id":1.5}'], ['{"id":-1}'], ['{"id":1,"v":{"a":1}}'], ['{"id":1,"k":[1]}']])(
    'rejects a cursor it could not have handed out: %s',
    (json) => {
      expect(() => decodeCursor(Buffer.from(json).toString('base64url'))).toThrow(DomainError);
    },
  );

  it('takes the keyset cursors the lists hand out', () => {
    for (const position of [
      { id: 7 },
      { v: 'Asha', id: 7 },
      { v: null, id: 7 },
      { k: 0.25, id: 7 },
      { k: '2026-01-01T00:00:00.000Z', id: 0 },
    ])
      expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('gives a next cursor only when more rows exist', () => {
    expect(toPage([1, 2, 3], 2, (n) => ({ id: n }))).toEqual({ data: [1, 2], nextCursor: encodeCursor({ id: 2 }) });
    expect(toPage([1, 2], 2, (n) => ({ id: n }))).toEqual({ data: [1, 2], nextCursor: null });
  });

  it('clamps limits into range', () => {
    expect(clampLimit(undefined)).toBe(50);
    expect(clampLimit(0)).toBe(1);
    expect(clampLimit(10_000)).toBe(1000);
  });
});
