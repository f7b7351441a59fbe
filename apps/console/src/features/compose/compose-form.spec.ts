import {
  audienceChoiceOf,
  audienceRequest,
  blankForm,
  broadcastRequest,
  type ComposeForm,
  formOfBroadcast,
  instantInZone,
  scheduleRequest,
  splitContactEntries,
} from './compose-form';

const form = (patch: Partial<ComposeForm> = {}): ComposeForm => ({
  ...blankForm(new URLSearchParams('listId=7'), 'Europe/Berlin', new Date('2026-03-01T10:00:00Z')),
  name: 'Spring sale',
  senderId: 3,
  template: { name: 'order_update', language: 'en_US' },
  ...patch,
});

describe('audience mapping', () => {
  it('maps each kind to the API audience, and an incomplete one to null', () => {
    expect(audienceRequest({ kind: 'list', listId: '7' })).toEqual({ listId: 7 });
    expect(audienceRequest({ kind: 'list', listId: '' })).toBeNull();
    expect(audienceRequest({ kind: 'import', importId: '12' })).toEqual({ importId: 12 });
    expect(audienceRequest({ kind: 'tags', tags: ' vip, pune ,vip,' })).toEqual({ tags: ['vip', 'pune'] });
    expect(audienceRequest({ kind: 'broadcast', broadcastId: '5', statuses: ['read'] })).toEqual({ broadcastId: 5, statuses: ['read'] });
    expect(audienceRequest({ kind: 'broadcast', broadcastId: '5', statuses: [] })).toBeNull();
  });

  it('takes contact ids as typed and phones as the server resolved them', () => {
    expect(splitContactEntries('12\n+91 98765 43210, 13;\n')).toEqual({ ids: [12, 13], phones: ['+91 98765 43210'] });
    expect(audienceRequest({ kind: 'contacts', entries: '12\n+91 98765 43210\n12' }, [40])).toEqual({ contactIds: [12, 40] });
  });

  it('reads the audience back from a saved broadcast and from the URL', () => {
    expect(audienceChoiceOf(new URLSearchParams('importId=4'))).toEqual({ kind: 'import', importId: '4' });
    expect(audienceChoiceOf({ contactIds: [1, 2] })).toEqual({ kind: 'contacts', entries: '1\n2' });
    expect(audienceChoiceOf({ broadcastId: 9, statuses: ['failed'] })).toEqual({
      kind: 'broadcast',
      broadcastId: '9',
      statuses: ['failed'],
    });
  });
});

describe('schedule in a named time zone', () => {
  it('converts a wall-clock time to the instant, on either side of a DST change', () => {
    expect(instantInZone('2026-03-28', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(instantInZone('2026-03-30', '09:00', 'Europe/Berlin').toISOString()).toBe('2026-03-30T07:00:00.000Z');
    expect(instantInZone('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(instantInZone('2026-12-07', '18:30', 'Asia/Kolkata').toISOString()).toBe('2026-12-07T13:00:00.000Z');
  });

  it('sends nothing for now, scheduledAt and the zone for a time, and recipient-local with what to do where it passed', () => {
    const base = { date: '2026-12-24', time: '09:00', zone: 'Asia/Kolkata', localTimePassed: 'next_day' as const, quietHours: null };
    expect(scheduleRequest({ ...base, mode: 'now' })).toEqual({ sendAt: 'immediate' });
    expect(scheduleRequest({ ...base, mode: 'at' })).toEqual({
      scheduledAt: '2026-12-24T03:30:00.000Z',
      sendAt: 'immediate',
      timezone: 'Asia/Kolkata',
    });
    expect(scheduleRequest({ ...base, mode: 'recipient_local', quietHours: { from: '21:00', to: '08:00' } })).toEqual({
      scheduledAt: '2026-12-24T03:30:00.000Z',
      sendAt: 'recipient_local',
      localTimePassed: 'next_day',
      timezone: 'Asia/Kolkata',
      quietHours: { from: '21:00', to: '08:00' },
    });
  });
});

describe('form → request', () => {
  it('sends the variables the template needs (a fallback kept as typed), and the media URL only for a media header', () => {
    const request = broadcastRequest(
      form({ variables: { '1': '{{name|there}}', '2': 'in {{city|your city}}', old: 'x' } }),
      ['1', '2'],
      false,
    );
    expect(request).toEqual({
      name: 'Spring sale',
      senderId: 3,
      template: { name: 'order_update', language: 'en_US' },
      audience: { listId: 7 },
      variables: { '1': '{{name|there}}', '2': 'in {{city|your city}}' },
      sendAt: 'immediate',
    });
    expect(broadcastRequest(form({ headerMediaUrl: ' https://cdn/{{plan}}.jpg ' }), [], true)?.headerMediaUrl).toBe(
      'https://cdn/{{plan}}.jpg',
    );
    expect(broadcastRequest(form({ headerMediaUrl: 'https://cdn/a.jpg' }), [], false)).not.toHaveProperty('headerMediaUrl');
    expect(broadcastRequest(form({ senderId: null }), [], false)).toBeNull();
  });

  it('fills the form from a scheduled broadcast, its time on the wall clock of its zone', () => {
    const f = formOfBroadcast(
      {
        name: 'Diwali',
        senderId: 2,
        template: { name: 'order_update', language: 'en_US' },
        audience: { tags: ['vip'] },
        variables: { '1': '{{name}}' },
        headerMediaUrl: null,
        scheduledAt: '2099-11-01T03:30:00.000Z',
        sendAt: 'immediate',
        localTimePassed: null,
        quietHours: { from: '21:00:00', to: '08:00:00' },
        timezone: 'Asia/Kolkata',
      },
      'Europe/Berlin',
    );
    expect(f.schedule).toEqual({
      mode: 'at',
      date: '2099-11-01',
      time: '09:00',
      zone: 'Asia/Kolkata',
      localTimePassed: 'now',
      quietHours: { from: '21:00', to: '08:00' },
    });
    expect(f.audience).toEqual({ kind: 'tags', tags: 'vip' });
    expect(scheduleRequest(f.schedule).scheduledAt).toBe('2099-11-01T03:30:00.000Z');
  });
});
