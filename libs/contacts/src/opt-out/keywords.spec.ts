import { keywordSet, normaliseKeyword } from './keywords';
import { waIdToE164 } from './opt-out.service';

describe('opt-out keywords', () => {
  it('matches in any case and spacing', () => {
    const set = keywordSet('STOP, unsubscribe ,Stop All,,');
    expect([...set]).toEqual(['STOP', 'UNSUBSCRIBE', 'STOP ALL']);
    expect(set.has(normaliseKeyword('  stop  '))).toBe(true);
    expect(set.has(normaliseKeyword('stop   all'))).toBe(true);
    expect(set.has(normaliseKeyword('please stop'))).toBe(false);
  });
});

describe('waIdToE164', () => {
  it('turns a WhatsApp id or a spelled phone into E.164', () => {
    expect(waIdToE164('16505551234')).toBe('+16505551234');
    expect(waIdToE164('+1 650-555-1234')).toBe('+16505551234');
  });
  it('refuses what cannot be a phone number', () => {
    expect(() => waIdToE164('abc')).toThrow(/not a WhatsApp id/);
  });
});
