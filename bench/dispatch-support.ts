import type { INestApplicationContext } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CreateBroadcast } from '@clarion/broadcasts';
import { SendersService } from '@clarion/senders';
import { stopProcess } from './process-support';

/** What the dispatch benchmarks do to the API's context: a template, senders, lists, broadcasts, workers. */
export interface DispatchBench {
  createSender(name: string, phoneNumberId: string, throughputMps: number): Promise<{ id: number; phoneNumberId: string }>;
  /** A list of `count` new contacts, phones numbered from `offset` (keep ranges apart across calls). */
  seed(count: number, offset: number): Promise<number>;
  broadcast(senderId: number, listId: number, name?: string): Promise<number>;
  waitCompleted(id: number): Promise<void>;
  /** Stops the running workers and starts `count` new ones (4 s to boot). */
  startWorkers(count: number): Promise<void>;
  stopWorkers(): Promise<void>;
}

export async function dispatchBench(app: INestApplicationContext, env: Record<string, string>): Promise<DispatchBench> {
  const db = app.get(DataSource);
  await db.query(
    "INSERT INTO templates (name, language, category, status, parameter_format, components) VALUES ('order_update', 'en_US', 'UTILITY', 'APPROVED', 'POSITIONAL', ?)",
    [JSON.stringify([{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped.' }])],
  );
  const senders = app.get(SendersService);
  const creator = app.get(CreateBroadcast);
  const workers: ChildProcess[] = [];
  const stopWorkers = () => Promise.all(workers.splice(0).map(stopProcess)).then(() => undefined);
  return {
    createSender: (name, phoneNumberId, throughputMps) =>
      senders.create({ name, api: 'cloud', phoneNumberId, accessToken: 't', throughputMps, messagingLimit: 'unlimited' }),
    seed: async (count, offset) => {
      const list = await db.query('INSERT INTO contact_lists (name) VALUES (?)', [`bench-${offset}`]);
      for (let from = 0; from < count; from += 5_000) {
        const rows = [];
        for (let i = from; i < Math.min(count, from + 5_000); i++)
          rows.push([`+9190${String(offset + i).padStart(8, '0')}`, `Person ${i}`, 'IN', JSON.stringify({ order: `O-${i}` })]);
        await db.query('INSERT INTO contacts (phone, name, country, attributes) VALUES ?', [rows]);
      }
      await db.query('INSERT INTO contact_list_members (list_id, contact_id) SELECT ?, id FROM contacts WHERE phone >= ? AND phone < ?', [
        Number(list.insertId),
        `+9190${String(offset).padStart(8, '0')}`,
        `+9190${String(offset + count).padStart(8, '0')}`,
      ]);
      return Number(list.insertId);
    },
    broadcast: async (senderId, listId, name = 'bench') =>
      (
        await creator.execute({
          name,
          senderId,
          template: { name: 'order_update', language: 'en_US' },
          audience: { listId },
          variables: { '1': '{{name}}', '2': '{{order}}' },
        })
      ).id,
    waitCompleted: async (id) => {
      for (;;) {
        const [row] = await db.query('SELECT status FROM broadcasts WHERE id = ?', [id]);
        if (row.status === 'completed') return;
        if (!['scheduled', 'running'].includes(row.status)) throw new Error(`broadcast ${id} is ${row.status}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    startWorkers: async (count) => {
      await stopWorkers();
      for (let i = 0; i < count; i++) workers.push(spawnWorker(env));
      await new Promise((r) => setTimeout(r, 4_000)); // boot
    },
    stopWorkers,
  };
}

const WORKER_MAIN = join(__dirname, '..', 'apps', 'worker', 'src', 'main.js');

function spawnWorker(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [WORKER_MAIN], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}
