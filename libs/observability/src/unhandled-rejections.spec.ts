import { EventEmitter } from 'node:events';
import { metrics } from './metrics';
import { surviveUnhandledRejections } from './unhandled-rejections';

describe('surviveUnhandledRejections', () => {
  it('logs and counts a rejection nobody handled, and removes itself when asked', async () => {
    const target = new EventEmitter();
    const errors: string[] = [];
    const remove = surviveUnhandledRejections({ error: (m: string) => errors.push(m) }, target);
    const before = (await metrics.unhandledRejections.get()).values[0]?.value ?? 0;

    target.emit('unhandledRejection', new Error('Unexpected end of form'), Promise.resolve());
    target.emit('unhandledRejection', 'a bare string', Promise.resolve());

    expect((await metrics.unhandledRejections.get()).values[0]?.value).toBe(before + 2);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('Unexpected end of form');
    expect(errors[1]).toContain('a bare string');
    remove();
    expect(target.listenerCount('unhandledRejection')).toBe(0);
  });
});
