import { errorAdvice, hasSpecificAdvice } from './error-advice';

describe('error advice', () => {
  it("gives Meta's title and what to do for the common codes", () => {
    for (const code of [131026, 131047, 131049, 131050, 131051, 130472, 131031, 132000, 132001, 132015, 131000]) {
      expect(hasSpecificAdvice(code)).toBe(true);
      expect(errorAdvice(code).advice.length).toBeGreaterThan(20);
    }
    expect(errorAdvice(131026, 'whatever was recorded').title).toBe('Message Undeliverable');
    expect(errorAdvice(131050).advice).toMatch(/opt-out/);
  });

  it('falls back to the title recorded with the failure, and a general advice', () => {
    expect(errorAdvice(135000, 'Generic user error')).toEqual({
      title: 'Generic user error',
      advice: expect.stringMatching(/error codes/),
    });
    expect(errorAdvice(135000).title).toBe('Error 135000');
    expect(errorAdvice(null).title).toBe('Unknown error');
    expect(errorAdvice(200).title).toBe('API Permission');
    expect(hasSpecificAdvice(null)).toBe(false);
  });
});
