import { Column, Entity, PrimaryColumn } from 'typeorm';

const int = { to: (v: number) => v, from: (v: string | number) => Number(v) };

/**
 * A broadcast's counters. Dispatch maintains total / accepted / skipped / refused (and failed for
 * refused sends) / cancelled; webhook-driven counters (sent, delivered, read, replied, failed) belong to stats.
 */
@Entity('broadcast_stats')
export class BroadcastStats {
  @PrimaryColumn({ name: 'broadcast_id', unsigned: true })
  broadcastId: number;

  @Column({ type: 'int', unsigned: true, default: 0, transformer: int }) total: number;
  @Column({ type: 'int', unsigned: true, default: 0, transformer: int }) accepted: number;
  @Column({ type: 'int', unsigned: true, default: 0, transformer: int }) sent: number;
  @Column({ type: 'int', unsigned: true, default: 0, transformer: int }) delivered: number;
  @Column({ type: 'int', unsigned: true, default: 0, transformer: int }) read: number;
  @Column({ type: 'int', unsigned: true, default: 0, transformer: int }) replied: number;
  @Column({ type: 'int', unsigned: true, default: 0, transformer: int }) failed: number;
  @Column({ type: 'int', unsigned: true, default: 0, transformer: int }) skipped: number;
  @Column({ type: 'int', unsigned: true, default: 0, transformer: int }) refused: number;
  /** Recipients a cancel left unsent. */
  @Column({ type: 'int', unsigned: true, default: 0, transformer: int }) cancelled: number;
  @Column({ type: 'decimal', precision: 14, scale: 6, default: 0, transformer: int }) cost: number;
}
