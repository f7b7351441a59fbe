import { TrailingWindow } from './trailing-window';

describe('TrailingWindow', () => {
  it('counts events younger than the window, the edge excluded', () => {
    const window = new TrailingWindow(1000);
    expect(window.add(0)).toBe(1);
    expect(window.add(500)).toBe(2);
    expect(window.add(999)).toBe(3);
    expect(window.add(1000)).toBe(3); // the event at 0 left the window exactly now
    expect(window.count(1499)).toBe(3);
    expect(window.count(1500)).toBe(2);
    expect(window.isEmpty(3000)).toBe(true);
  });

  it('stays correct across its internal compaction', () => {
    const window = new TrailingWindow(1000);
    for (let t = 0; t < 10_000; t++) window.add(t);
    expect(window.count(9_999)).toBe(1000);
  });
});
