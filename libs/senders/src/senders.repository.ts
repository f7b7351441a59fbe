import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Sender, SenderStatus } from './sender.entity';

/** All I/O on `senders`. The token column is only read by `findWithToken`. */
@Injectable()
export class SendersRepository {
  constructor(@InjectRepository(Sender) private readonly repo: Repository<Sender>) {}

  findById(id: number): Promise<Sender | null> {
    return this.repo.findOne({ where: { id } });
  }

  findWithToken(id: number): Promise<Sender | null> {
    return this.repo.createQueryBuilder('s').addSelect('s.accessTokenEnc').where('s.id = :id', { id }).getOne();
  }

  /** Keyset page by id, `limit + 1` rows (see toPage). */
  listAfter(afterId: number, limit: number): Promise<Sender[]> {
    return this.repo
      .createQueryBuilder('s')
      .where('s.id > :afterId', { afterId })
      .orderBy('s.id', 'ASC')
      .limit(limit + 1)
      .getMany();
  }

  async insert(values: Partial<Sender>): Promise<number> {
    const result = await this.repo.insert(values);
    return Number(result.identifiers[0].id);
  }

  async update(id: number, values: Partial<Sender>): Promise<void> {
    await this.repo.update({ id }, values);
  }

  /** Sets the messaging limit of every sender of a business portfolio (Meta counts the limit per portfolio); returns how many. */
  async setPortfolioLimit(portfolio: string, messagingLimit: number | null): Promise<number> {
    const result = await this.repo.update({ portfolio }, { messagingLimit });
    return result.affected ?? 0;
  }

  async setStatus(id: number, status: SenderStatus, reason: string | null): Promise<boolean> {
    const result = await this.repo.update({ id }, { status, statusReason: reason?.slice(0, 500) ?? null });
    return (result.affected ?? 0) > 0;
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** Broadcasts that still need this sender (so it cannot be deleted). */
  async countActiveBroadcasts(id: number): Promise<number> {
    const [row] = await this.repo.query(
      "SELECT COUNT(*) AS n FROM broadcasts WHERE sender_id = ? AND status IN ('scheduled','running','paused','waiting_quota')",
      [id],
    );
    return Number(row.n);
  }

  /** Every sender's phone number id, to tell webhooks for our numbers from strays. */
  async phoneNumberIds(): Promise<string[]> {
    const rows: Array<{ phone_number_id: string }> = await this.repo.query('SELECT phone_number_id FROM senders');
    return rows.map((r) => r.phone_number_id);
  }
}
