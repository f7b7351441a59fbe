import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { OutboundEvents, writeOutbox } from '@clarion/outbound-webhooks';
import { Template, TemplateStatus } from './template.entity';

export interface TemplateFilter {
  status?: TemplateStatus;
  search?: string;
  wabaId?: string;
}

/** How Meta's webhooks name a template: its id, and its WABA, name and language when given. */
export interface TemplateMetaRef {
  metaId: string;
  wabaId: string;
  name?: string;
  language?: string;
}

export type TemplateRow = Pick<
  Template,
  'wabaId' | 'metaId' | 'name' | 'language' | 'category' | 'status' | 'statusReason' | 'parameterFormat' | 'components'
>;

/** All I/O on `templates`. */
@Injectable()
export class TemplatesRepository {
  constructor(@InjectRepository(Template) private readonly repo: Repository<Template>) {}

  findById(id: number): Promise<Template | null> {
    return this.repo.findOne({ where: { id } });
  }

  /** Keyset page by id (`limit + 1` rows). */
  listAfter(afterId: number, limit: number, filter: TemplateFilter): Promise<Template[]> {
    const q = this.repo.createQueryBuilder('t').where('t.id > :afterId', { afterId });
    if (filter.status) q.andWhere('t.status = :status', { status: filter.status });
    if (filter.wabaId !== undefined) q.andWhere('t.waba_id = :wabaId', { wabaId: filter.wabaId });
    if (filter.search) q.andWhere('t.name LIKE :search', { search: `%${filter.search.replace(/[%_\\]/g, '\\$&')}%` });
    return q
      .orderBy('t.id', 'ASC')
      .limit(limit + 1)
      .getMany();
  }

  findAll(): Promise<Template[]> {
    return this.repo.find({ order: { id: 'ASC' } });
  }

  /**
   * Candidates to send as: this WABA's template, or a local one (waba_id '') — the WABA's
   * own first.
   */
  findByNameLanguage(name: string, language: string, wabaId?: string | null): Promise<Template[]> {
    const q = this.repo.createQueryBuilder('t').where('t.name = :name AND t.language = :language', { name, language });
    if (wabaId)
      q.andWhere(new Brackets((b) => b.where('t.waba_id = :wabaId', { wabaId }).orWhere("t.waba_id = ''"))).orderBy(
        "t.waba_id = ''",
        'ASC',
      );
    else q.orderBy("t.waba_id = ''", 'DESC');
    return q.getMany();
  }

  async insert(row: TemplateRow): Promise<number> {
    const result = await this.repo.insert(row as QueryDeepPartialEntity<Template>);
    return Number(result.identifiers[0].id);
  }

  async update(id: number, values: Partial<TemplateRow>): Promise<void> {
    if (values.status !== undefined) return void (await this.updateIds([id], values as Partial<Template>));
    await this.repo.update({ id }, values as QueryDeepPartialEntity<Template>);
  }

  /**
   * Insert or replace by (waba_id, name, language); returns 'created' or 'updated'. With
   * `keepStatusIfUnchanged`, an existing template whose content is the same keeps its status
   * (a re-import does not demote an approved template); changed content takes `row.status`.
   */
  async upsert(row: TemplateRow, keepStatusIfUnchanged = false): Promise<'created' | 'updated'> {
    // MySQL applies these assignments left to right: status is decided before components change.
    const status = keepStatusIfUnchanged
      ? "status = IF(category = VALUES(category) AND JSON_EXTRACT(components, '$') = JSON_EXTRACT(VALUES(components), '$'), status, VALUES(status)), status_reason = IF(status = VALUES(status), status_reason, VALUES(status_reason))"
      : 'status = VALUES(status), status_reason = VALUES(status_reason)';
    // affectedRows cannot tell an insert from an unchanged row (mysql2 sets CLIENT_FOUND_ROWS).
    const existing = await this.repo.count({ where: { wabaId: row.wabaId, name: row.name, language: row.language } });
    await this.repo.query(
      `INSERT INTO templates (waba_id, meta_id, name, language, category, status, status_reason, parameter_format, components)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE ${status}, meta_id = COALESCE(VALUES(meta_id), meta_id), category = VALUES(category),
         parameter_format = VALUES(parameter_format), components = VALUES(components)`,
      [
        row.wabaId,
        row.metaId,
        row.name,
        row.language,
        row.category,
        row.status,
        row.statusReason,
        row.parameterFormat,
        JSON.stringify(row.components),
      ],
    );
    return existing > 0 ? 'updated' : 'created';
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.repo.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Updates the template Meta knows by `metaId`, else the one of that WABA, name and language
   * (which then learns its `metaId`). Returns the ids of the templates changed.
   */
  async updateByMetaRef(
    ref: TemplateMetaRef,
    values: Partial<Pick<Template, 'status' | 'statusReason' | 'qualityScore' | 'category'>>,
  ): Promise<number[]> {
    if (ref.metaId) {
      const byId = await this.repo.find({ select: { id: true }, where: { metaId: ref.metaId } });
      if (byId.length > 0)
        return this.updateIds(
          byId.map((t) => t.id),
          values,
        );
    }
    if (!ref.name || !ref.language) return [];
    const byName = await this.repo.find({ select: { id: true }, where: { wabaId: ref.wabaId, name: ref.name, language: ref.language } });
    return this.updateIds(
      byName.map((t) => t.id),
      { ...values, ...(ref.metaId ? { metaId: ref.metaId } : {}) },
    );
  }

  /** A status change is announced (template.status_changed) in the transaction that makes it, for each template it moved. */
  private async updateIds(ids: number[], values: Partial<Template>): Promise<number[]> {
    if (ids.length === 0) return ids;
    if (!values.status) {
      await this.repo.update({ id: In(ids) }, values as QueryDeepPartialEntity<Template>);
      return ids;
    }
    await this.repo.manager.transaction(async (m) => {
      const before = await m.getRepository(Template).find({
        select: { id: true, name: true, status: true },
        where: { id: In(ids) },
        lock: { mode: 'pessimistic_write' },
      });
      await m.getRepository(Template).update({ id: In(ids) }, values as QueryDeepPartialEntity<Template>);
      const moved = before.filter((t) => t.status !== values.status);
      await writeOutbox(
        m,
        moved.map((t) => OutboundEvents.templateStatusChanged(t.id, t.name, values.status as string, values.statusReason ?? null)),
      );
    });
    return ids;
  }
}
