import { DomainError } from '@clarion/common';
import { parseDelay } from './delay';

describe('parseDelay', () => {
  it.each([
    ['PT0S', 0],
    ['PT15S', 15],
    ['PT30M', 1800],
    ['PT6H', 21_600],
    ['P2D', 172_800],
    ['P1DT12H', 129_600],
    ['P1W', 604_800],
    ['pt1.5s', 2],
  ])('reads %s as %i seconds', (text, seconds) => {
    expect(parseDelay(text)).toBe(seconds);
  });

  it.each(['', 'P', 'PT', 'P1M', 'P1Y', '15s', 'PT-5S', 'P400D', 15, null])('refuses %p with a validation error', (value) => {
    expect(() => parseDelay(value, 'steps[1].delay')).toThrow(DomainError);
    expect(() => parseDelay(value, 'steps[1].delay')).toThrow(/steps\[1\]\.delay/);
  });
});
