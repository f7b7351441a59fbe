import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { DispatchSignal } from '@clarion/broadcasts';
import type { Environment } from '@clarion/config';
import type { RecipientClaims } from '../ledger/recipient-claims';
import { ClaimLeases, leaseTimings } from './claim-leases';

describe('leaseTimings', () => {
  it('renews four times per lease and looks for expired claims twice per lease', () => {
    expect(leaseTimings(10_000)).toEqual({ renewEveryMs: 2_500, reclaimEveryMs: 5_000 });
    expect(leaseTimings(2_000)).toEqual({ renewEveryMs: 500, reclaimEveryMs: 1_000 });
  });

  it('never runs its timers hot on a tiny lease', () => {
    expect(leaseTimings(40)).toEqual({ renewEveryMs: 50, reclaimEveryMs: 100 });
  });
});

describe('ClaimLeases', () => {
  const config = { get: () => 2_000 } as unknown as ConfigService<Environment, true>;
  const signal = { nudge: async () => undefined } as unknown as DispatchSignal;

  function leasesOver(renew: (tokens: string[]) => Promise<void>) {
    return new ClaimLeases({ renew } as unknown as RecipientClaims, signal, config);
  }

  it('renews exactly the claims held, and none after they are dropped', async () => {
    const renewed: string[][] = [];
    const leases = leasesOver(async (tokens) => void renewed.push(tokens));
    await leases.renew();
    leases.hold('a');
    leases.hold('b');
    await leases.renew();
    leases.drop('a');
    await leases.renew();
    leases.drop('b');
    await leases.renew();
    expect(renewed).toEqual([['a', 'b'], ['b']]);
    expect(leases.holding).toBe(0);
  });

  it('keeps holding its claims when a renewal fails, and renews them on the next round', async () => {
    let fail = true;
    const renewed: string[][] = [];
    const leases = leasesOver(async (tokens) => {
      if (fail) throw new Error('Connection lost: The server closed the connection.');
      renewed.push(tokens);
    });
    leases.hold('a');
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await expect(leases.renew()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ claims: 1 }), 'claim leases not renewed; retrying');
    warn.mockRestore();
    fail = false;
    await leases.renew();
    expect(renewed).toEqual([['a']]);
  });

  it('after losing MySQL, waits a full lease before reclaiming, so live holders can renew first', async () => {
    let reclaims = 0;
    let fail = true;
    const leases = new ClaimLeases(
      {
        renew: async () => undefined,
        reclaimExpired: async () => {
          reclaims++;
          if (fail) throw new Error('connect ECONNREFUSED 127.0.0.1:3306');
          return new Map();
        },
      } as unknown as RecipientClaims,
      signal,
      config,
    );
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const now = jest.spyOn(Date, 'now');
    try {
      now.mockReturnValue(1_000_000);
      await leases.reclaim();
      expect(reclaims).toBe(1);
      fail = false;
      now.mockReturnValue(1_000_000 + 1_999);
      await leases.reclaim();
      expect(reclaims).toBe(1);
      now.mockReturnValue(1_000_000 + 2_000);
      await leases.reclaim();
      expect(reclaims).toBe(2);
    } finally {
      now.mockRestore();
      warn.mockRestore();
    }
  });
});
