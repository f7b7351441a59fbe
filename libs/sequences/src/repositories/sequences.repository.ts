import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, Not, Repository } from 'typeorm';
import { DomainError } from '@clarion/common';
import { Sequence, SequenceStatus } from '../entities/sequence.entity';
import { SequenceStep } from '../entities/sequence-step.entity';

/** Sequences and their steps. A deleted sequence is kept (its step broadcasts' history refers to it) but never found. */
@Injectable()
export class SequencesRepository {
  constructor(
    @InjectRepository(Sequence) private readonly sequences: Repository<Sequence>,
    @InjectRepository(SequenceStep) private readonly steps: Repository<SequenceStep>,
  ) {}

  /** The sequence, unless deleted. Throws not found (→ 404). */
  async get(id: number): Promise<Sequence> {
    const found = await this.sequences.findOne({ where: { id, status: Not('deleted' as SequenceStatus) } });
    if (!found) throw DomainError.notFound('sequence', id);
    return found;
  }

  async stepsOf(sequenceId: number): Promise<SequenceStep[]> {
    return this.steps.find({ where: { sequenceId }, order: { position: 'ASC' } });
  }

  async stepsOfMany(sequenceIds: number[]): Promise<Map<number, SequenceStep[]>> {
    const out = new Map<number, SequenceStep[]>(sequenceIds.map((id) => [id, []]));
    if (sequenceIds.length === 0) return out;
    const rows = await this.steps.find({ where: { sequenceId: In(sequenceIds) }, order: { sequenceId: 'ASC', position: 'ASC' } });
    for (const s of rows) out.get(s.sequenceId)!.push(s);
    return out;
  }

  async insert(sequence: Partial<Sequence>, steps: Array<Partial<SequenceStep>>): Promise<Sequence> {
    return this.sequences.manager.transaction(async (tx) => {
      const saved = await tx.getRepository(Sequence).save(tx.getRepository(Sequence).create(sequence));
      await tx.getRepository(SequenceStep).save(steps.map((s) => tx.getRepository(SequenceStep).create({ ...s, sequenceId: saved.id })));
      return saved;
    });
  }

  /** Removes a sequence that never went live (its creation was refused). */
  async removeEntirely(id: number): Promise<void> {
    await this.steps.delete({ sequenceId: id });
    await this.sequences.delete({ id });
  }

  async setStepBroadcast(stepId: number, broadcastId: number): Promise<void> {
    await this.steps.update({ id: stepId }, { broadcastId });
  }

  async update(id: number, changes: Partial<Sequence>): Promise<void> {
    await this.sequences.update({ id }, changes);
  }

  async updateStep(stepId: number, changes: Partial<SequenceStep>): Promise<void> {
    await this.steps.update({ id: stepId }, changes);
  }

  async insertStep(step: Partial<SequenceStep>): Promise<SequenceStep> {
    return this.steps.save(this.steps.create(step));
  }

  async deleteStepsAfter(sequenceId: number, position: number): Promise<void> {
    await this.steps.delete({ sequenceId, position: Not(LessThan(position + 1)) });
  }

  /** The sequences the tick works on (not paused, not deleted). */
  async active(): Promise<Sequence[]> {
    return this.sequences.find({ where: { status: 'active' }, order: { id: 'ASC' } });
  }

  /** Newest first, keyset-paged by id; optional name search and status filter. */
  async page(filter: { search?: string; status?: SequenceStatus }, beforeId: number | undefined, limit: number): Promise<Sequence[]> {
    const q = this.sequences.createQueryBuilder('s').where("s.status <> 'deleted'").orderBy('s.id', 'DESC').take(limit);
    if (filter.search) q.andWhere('s.name LIKE :search', { search: `%${filter.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%` });
    if (filter.status) q.andWhere('s.status = :status', { status: filter.status });
    if (beforeId !== undefined) q.andWhere('s.id < :beforeId', { beforeId });
    return q.getMany();
  }
}
