import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@clarion/common';
import { attributePath, ContactFilter, filterSql } from '../contact-filter';
import { ATTRIBUTE_LIMITS, tooManyAttributes } from '../attribute-limits';
import { checkAttributes, stringify } from './contact-input';

export interface BulkAttributesCommand {
  filter: ContactFilter;
  set?: Record<string, unknown>;
  unset?: string[];
}

/** Id ranges per UPDATE: keeps each transaction short on a million contacts. */
const RANGE = 10_000;

/** Sets and/or removes attributes on every contact a filter matches; returns how many matched. */
@Injectable()
export class BulkAttributes {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(command: BulkAttributesCommand): Promise<{ matched: number }> {
    const set = command.set ?? {};
    const unset = command.unset ?? [];
    if (Object.keys(set).length === 0 && unset.length === 0) throw DomainError.validation('give attributes to set and/or names to unset');
    checkAttributes(set, false);
    const overlap = unset.filter((k) => k in set);
    if (overlap.length) throw DomainError.validation(`attributes both set and unset: ${overlap.join(', ')}`);

    let expression = 'COALESCE(c.attributes, JSON_OBJECT())';
    const exprParams: unknown[] = [];
    if (Object.keys(set).length) {
      expression = `JSON_MERGE_PATCH(${expression}, ?)`;
      exprParams.push(JSON.stringify(stringify(set)));
    }
    if (unset.length) {
      expression = `JSON_REMOVE(${expression}, ${unset.map(() => '?').join(', ')})`;
      exprParams.push(...unset.map(attributePath));
    }
    const condition = filterSql(command.filter);
    const [bounds]: Array<{ lo: number | null; hi: number | null }> = await this.db.query(
      `SELECT MIN(c.id) AS lo, MAX(c.id) AS hi FROM contacts c WHERE ${condition.where}`,
      condition.params,
    );
    if (bounds.lo === null || bounds.hi === null) return { matched: 0 };
    if (Object.keys(set).length) {
      const [over]: Array<{ id: number; n: number }> = await this.db.query(
        `SELECT c.id, JSON_LENGTH(${expression}) AS n FROM contacts c WHERE ${condition.where} AND JSON_LENGTH(${expression}) > ? LIMIT 1`,
        [...exprParams, ...condition.params, ...exprParams, ATTRIBUTE_LIMITS.perContact],
      );
      if (over)
        throw DomainError.validation(`attributes: ${tooManyAttributes(Number(over.n))} for contact ${over.id}; nothing was changed`);
    }
    let matched = 0;
    for (let from = Number(bounds.lo); from <= Number(bounds.hi); from += RANGE) {
      const result = await this.db.query(
        `UPDATE contacts c SET c.attributes = ${expression} WHERE c.id >= ? AND c.id < ? AND ${condition.where}`,
        [...exprParams, from, from + RANGE, ...condition.params],
      );
      matched += Number(result.affectedRows ?? 0);
    }
    return { matched };
  }
}
