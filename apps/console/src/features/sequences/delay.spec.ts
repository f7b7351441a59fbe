import { delayInWords, delayToIso, isoToDelay } from './delay';

describe('delayToIso', () => {
  it('writes the ISO 8601 duration the API stores', () => {
    expect(delayToIso({ amount: 2, unit: 'days' })).toBe('P2D');
    expect(delayToIso({ amount: 6, unit: 'hours' })).toBe('PT6H');
    expect(delayToIso({ amount: 30, unit: 'minutes' })).toBe('PT30M');
  });
  it('makes no delay, or a nonsensical one, PT0S', () => {
    expect(delayToIso({ amount: 0, unit: 'days' })).toBe('PT0S');
    expect(delayToIso({ amount: -3, unit: 'hours' })).toBe('PT0S');
    expect(delayToIso({ amount: Number.NaN, unit: 'hours' })).toBe('PT0S');
  });
});

describe('isoToDelay', () => {
  it('reads back what delayToIso writes', () => {
    for (const input of [
      { amount: 2, unit: 'days' },
      { amount: 6, unit: 'hours' },
      { amount: 45, unit: 'minutes' },
    ] as const)
      expect(isoToDelay(delayToIso(input))).toEqual(input);
  });
  it('picks the largest whole unit of what the API holds', () => {
    expect(isoToDelay('P1DT12H')).toEqual({ amount: 36, unit: 'hours' });
    expect(isoToDelay('P1W')).toEqual({ amount: 7, unit: 'days' });
    expect(isoToDelay('PT120S')).toEqual({ amount: 2, unit: 'minutes' });
    expect(isoToDelay('PT0S')).toEqual({ amount: 0, unit: 'days' });
  });
  it('gives up on what the form cannot show', () => {
    expect(isoToDelay('PT30S')).toBeNull();
    expect(isoToDelay('P1M')).toBeNull();
    expect(isoToDelay('soon')).toBeNull();
  });
});

describe('delayInWords', () => {
  it('says when the first step goes, from enrolment', () => {
    expect(delayInWords('PT0S', 1)).toBe('at enrolment');
    expect(delayInWords('PT6H', 1)).toBe('6 hours after enrolment');
  });
  it('says when a later step goes, from the previous one', () => {
    expect(delayInWords('P2D', 2)).toBe('2 days after the previous step');
    expect(delayInWords('P1D', 3)).toBe('1 day after the previous step');
    expect(delayInWords('PT0S', 2)).toBe('right after the previous step');
  });
});
