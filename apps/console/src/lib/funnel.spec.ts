import { funnel, progressShare } from './funnel';

describe('funnel', () => {
  it('gives each step its share of sent and the API rate (delivered/sent, read/delivered, replied/delivered)', () => {
    const steps = funnel({ sent: 1000, delivered: 950, read: 600, replied: 57 });
    expect(steps.map((s) => [s.key, s.count, s.ofSent, s.rate])).toEqual([
      ['sent', 1000, 1, null],
      ['delivered', 950, 0.95, 0.95],
      ['read', 600, 0.6, 0.6316],
      ['replied', 57, 0.057, 0.06],
    ]);
    expect(steps.map((s) => s.rateLabel)).toEqual([null, 'of sent', 'of delivered', 'of delivered']);
  });

  it('has no rates when nothing was sent or delivered (never a division by zero)', () => {
    const steps = funnel({ sent: 0, delivered: 0, read: 0, replied: 0 });
    expect(steps.every((s) => s.ofSent === null && s.rate === null)).toBe(true);
    const partly = funnel({ sent: 10, delivered: 0, read: 0, replied: 0 });
    expect(partly[1].rate).toBe(0);
    expect(partly[2].rate).toBeNull();
    expect(partly[3].rate).toBeNull();
  });

  it('rounds rates to four places like the API', () => {
    expect(funnel({ sent: 3, delivered: 1, read: 0, replied: 0 })[1].rate).toBe(0.3333);
  });
});

describe('progressShare', () => {
  it('is accepted over recipients to send, capped at 1, 0 with nothing to send', () => {
    expect(progressShare(250, 1000)).toBe(0.25);
    expect(progressShare(1200, 1000)).toBe(1);
    expect(progressShare(0, 0)).toBe(0);
  });
});
