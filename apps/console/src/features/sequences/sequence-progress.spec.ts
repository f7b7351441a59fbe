import { describeDelay, parseSequenceFilters, runBuckets, sequenceSearchParams, totalRuns } from './sequence-progress';

const step = (position: number, waiting: number) => ({
  position,
  waiting,
  template: { name: 't', language: 'en' },
  variables: {},
  headerMediaUrl: null,
  delay: 'PT0S',
  broadcastId: position,
});

describe('runBuckets', () => {
  it('puts every run in one place: waiting for a step, completed, stopped or unenrolled, with its share of all runs', () => {
    const buckets = runBuckets({
      steps: [step(1, 3), step(2, 1), step(3, 0)],
      enrollments: { active: 4, completed: 10, stopped: 5, unenrolled: 1 },
    });
    expect(buckets.map((b) => [b.key, b.count, b.share])).toEqual([
      ['step-1', 3, 0.15],
      ['step-2', 1, 0.05],
      ['step-3', 0, 0],
      ['completed', 10, 0.5],
      ['stopped', 5, 0.25],
      ['unenrolled', 1, 0.05],
    ]);
    expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(20);
  });

  it('has no shares before anyone is enrolled', () => {
    const buckets = runBuckets({ steps: [step(1, 0)], enrollments: { active: 0, completed: 0, stopped: 0, unenrolled: 0 } });
    expect(buckets.every((b) => b.share === null)).toBe(true);
    expect(totalRuns({ enrollments: { active: 0, completed: 0, stopped: 0, unenrolled: 0 } })).toBe(0);
  });
});

describe('describeDelay', () => {
  it.each([
    ['PT0S', 'at once'],
    ['PT30S', '30 seconds'],
    ['PT1H30M', '1 hour 30 minutes'],
    ['P2D', '2 days'],
    ['P1W', '1 week'],
    ['P1DT6H', '1 day 6 hours'],
    ['P1M', '1 month'],
  ])('%s reads "%s"', (iso, words) => expect(describeDelay(iso)).toBe(words));

  it('shows anything that is not an ISO 8601 duration as it is', () => {
    expect(describeDelay('2 days')).toBe('2 days');
    expect(describeDelay('P')).toBe('P');
    expect(describeDelay('PT')).toBe('PT');
  });
});

describe('sequence list filters in the URL', () => {
  it('round-trips search and status, and drops an unknown status', () => {
    const filters = parseSequenceFilters(new URLSearchParams('search=%20Onboarding%20&status=paused'));
    expect(filters).toEqual({ search: 'Onboarding', status: 'paused' });
    expect(sequenceSearchParams(filters).toString()).toBe('search=Onboarding&status=paused');
    expect(parseSequenceFilters(new URLSearchParams('status=deleted'))).toEqual({ search: '', status: null });
    expect(sequenceSearchParams({ search: '', status: null }).toString()).toBe('');
  });
});
