import { clampLimit, decodeCursor, encodeCursor, toPage } from './pagination';
import { DomainError } from './domain-error';

describe('pagination', () => {
  it('round-trips a cursor', () => {
    expect(decodeCursor(encodeCursor({ id: 42, name: 'x' }))).toEqual({ id: 42, name: 'x' });
  });

  it('rejects a forged cursor with a validation error', () => {
    expect(() => decodeCursor('not-base64-json')).toThrow(DomainError);
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
