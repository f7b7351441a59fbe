import { classifyError, classifyOnPremisesError, KNOWN_ERROR_CODES, LocalErrorCode } from './error-classification';
import { ErrorClass } from './types';

describe('classifyError', () => {
  const table: Array<[ErrorClass, number[]]> = [
    [ErrorClass.Throughput, [130429, 4, 80007]],
    [ErrorClass.PairRate, [131056]],
    [ErrorClass.Transient, [1, 2, 131000, 131016, 131057, 133004, 133015]],
    [ErrorClass.FrequencyCap, [131049]],
    [ErrorClass.SpamLimit, [131048]],
    [ErrorClass.Permanent, [131026, 131047, 131050, 131051, 132000, 132001, 132012, 132015, 132016, 132018, 368]],
    [ErrorClass.Auth, [0, 190, 3, 10, 200, 230, 299]],
  ];

  it.each(table.flatMap(([errorClass, codes]) => codes.map((code) => [code, errorClass] as const)))(
    'files code %i under %s',
    (code, errorClass) => {
      expect(classifyError(code, 400)).toBe(errorClass);
    },
  );

  it('decides by code, not by HTTP status', () => {
    for (const status of [400, 429, 500, 503, undefined]) {
      expect(classifyError(130429, status)).toBe(ErrorClass.Throughput);
      expect(classifyError(131026, status)).toBe(ErrorClass.Permanent);
      expect(classifyError(190, status)).toBe(ErrorClass.Auth);
    }
    expect(classifyError(131000, 400)).toBe(ErrorClass.Transient);
  });

  it('treats unknown codes as permanent, unless the answer was a 5xx', () => {
    expect(classifyError(100, 400)).toBe(ErrorClass.Permanent);
    expect(classifyError(131999, 400)).toBe(ErrorClass.Permanent);
    expect(classifyError(300, 403)).toBe(ErrorClass.Permanent);
    expect(classifyError(131999, 502)).toBe(ErrorClass.Transient);
    expect(classifyError(LocalErrorCode.HttpStatus, 503)).toBe(ErrorClass.Transient);
    expect(classifyError(LocalErrorCode.HttpStatus, 404)).toBe(ErrorClass.Permanent);
  });

  it('treats timeouts and connection failures as transient', () => {
    expect(classifyError(LocalErrorCode.Timeout)).toBe(ErrorClass.Transient);
    expect(classifyError(LocalErrorCode.Connection)).toBe(ErrorClass.Transient);
  });

  it('knows On-Premises codes beside the Cloud ones', () => {
    expect(classifyOnPremisesError(1015)).toBe(ErrorClass.Throughput);
    expect(classifyOnPremisesError(1005, 401)).toBe(ErrorClass.Auth);
    expect(classifyOnPremisesError(1014, 500)).toBe(ErrorClass.Transient);
    expect(classifyOnPremisesError(131056)).toBe(ErrorClass.PairRate);
  });

  it('has a title for every known code', () => {
    for (const [code, { title }] of KNOWN_ERROR_CODES) expect([code, title.length > 0]).toEqual([code, true]);
  });
});
