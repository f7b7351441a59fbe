import { Injectable } from '@nestjs/common';
import { DomainError } from '@clarion/common';
import { ListsService, ListView } from '@clarion/contacts';
import { BroadcastAudienceReader } from '../audience/broadcast-audience-reader';
import { parseRetargetAudience, RetargetAudience } from '../audience/retarget-audience';
import { BroadcastsRepository } from '../repositories/broadcasts.repository';
import { BroadcastView } from './broadcast-view';
import { CreateBroadcast } from './create-broadcast';

/**
 * "Retry failed": a draft broadcast with the same settings for the failed recipients a new send
 * can reach (not 131026 nor 131050, not opted out since). It stays a draft to be looked at and
 * scheduled (`PATCH … { draft: false }`).
 */
@Injectable()
export class RetryFailedRecipients {
  constructor(
    private readonly broadcasts: BroadcastsRepository,
    private readonly audiences: BroadcastAudienceReader,
    private readonly creator: CreateBroadcast,
  ) {}

  async execute(id: number, createdBy: string | null): Promise<BroadcastView> {
    const source = await this.broadcasts.getById(id);
    const audience: RetargetAudience = { broadcastId: id, statuses: ['failed'], retryable: true };
    if ((await this.audiences.count(audience)) === 0)
      throw DomainError.invalidState(`broadcast ${id} has no failed recipients that a retry could reach`);
    return this.creator.execute({
      name: `${source.name} (retry failed)`.slice(0, 200),
      senderId: source.senderId,
      template: { name: source.templateName, language: source.templateLanguage },
      audience,
      variables: source.variables ?? {},
      headerMediaUrl: source.headerMediaUrl,
      tags: source.tags ?? [],
      errorPolicy: source.errorPolicy,
      draft: true,
      createdBy,
    });
  }
}

/** "Save as list": the contacts of a broadcast's recipients in some statuses, added to a contact list by name (created if missing). */
@Injectable()
export class SaveRecipientsAsList {
  constructor(
    private readonly broadcasts: BroadcastsRepository,
    private readonly audiences: BroadcastAudienceReader,
    private readonly lists: ListsService,
  ) {}

  async execute(id: number, statuses: unknown, name: string): Promise<ListView & { added: number }> {
    await this.broadcasts.getById(id);
    const audience = parseRetargetAudience({ broadcastId: id, statuses });
    const listId = await this.lists.ensure(name);
    let added = 0;
    for await (const ids of this.audiences.contactIds(audience)) added += await this.lists.addMembers(listId, ids);
    return { ...(await this.lists.get(listId)), added };
  }
}
