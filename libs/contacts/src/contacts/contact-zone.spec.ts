import { zoneOfContact, zoneOfCountry } from './contact-zone';

describe('zoneOfContact', () => {
  it('prefers a valid timezone attribute', () => {
    expect(zoneOfContact({ phone: '+919876543210', country: 'IN', attributes: { timezone: 'Europe/Paris' } }, 'UTC')).toBe('Europe/Paris');
  });

  it('ignores an unknown timezone attribute and falls back to the country', () => {
    expect(zoneOfContact({ phone: '+919876543210', country: 'IN', attributes: { timezone: 'Mars/Olympus' } }, null)).toBe('Asia/Kolkata');
  });

  it('derives the country from the phone number when the contact has none stored', () => {
    expect(zoneOfContact({ phone: '+442079460000', country: null, attributes: null }, null)).toBe('Europe/London');
  });

  it('uses a representative zone for countries spanning several', () => {
    expect(zoneOfContact({ phone: '+12125550100', country: 'US', attributes: {} }, null)).toBe('America/New_York');
    expect(zoneOfCountry('br')).toBe('America/Sao_Paulo');
  });

  it('falls back to the sequence zone, then UTC', () => {
    expect(zoneOfContact({ phone: 'garbage', country: null, attributes: {} }, 'Asia/Dubai')).toBe('Asia/Dubai');
    expect(zoneOfContact({ phone: 'garbage', country: null, attributes: {} }, null)).toBe('UTC');
    expect(zoneOfContact({ phone: 'garbage', country: 'ZZ', attributes: {} }, 'nowhere')).toBe('UTC');
  });
});
