import { parseRateCard, RateCardError } from './rate-card';

describe('parseRateCard', () => {
  it('reads categories in any case as lower case and countries as upper case', () => {
    expect(
      parseRateCard({ currency: 'INR', ratesDate: '2025-07-01', default: { MARKETING: 0.8 }, countries: { in: { Utility: 0.1 } } }),
    ).toEqual({
      currency: 'INR',
      ratesDate: '2025-07-01',
      default: { marketing: 0.8 },
      countries: { IN: { utility: 0.1 } },
    });
  });

  it('defaults to USD, no date and no prices', () => {
    expect(parseRateCard({})).toEqual({ currency: 'USD', ratesDate: null, default: {}, countries: {} });
  });

  it.each([
    [[], /JSON object/],
    [{ currency: 'dollars' }, /currency must be an ISO 4217 code/],
    [{ ratesDate: 'July 2025' }, /ratesDate must be a date/],
    [{ default: { marketing: '0.05' } }, /default\.marketing must be a price/],
    [{ default: { marketing: -1 } }, /default\.marketing must be a price/],
    [{ countries: { India: { marketing: 1 } } }, /countries\.India must be an ISO 3166 alpha-2/],
    [{ countries: { IN: [1] } }, /countries\.IN must be an object/],
  ])('refuses %j, naming the field', (raw, message) => {
    expect(() => parseRateCard(raw)).toThrow(RateCardError);
    expect(() => parseRateCard(raw)).toThrow(message);
  });
});
