import { Inject, Injectable, Logger } from '@nestjs/common';
import { clampLimit, decodeCursor, DomainError, Page, toPage } from '@clarion/common';
import type { SenderCredentials } from '@clarion/whatsapp';
import { defaultThroughput, limitToColumn, MessagingLimit, NEW_PORTFOLIO_MESSAGING_LIMIT, SenderConnection } from './sender-limits';
import { Sender, SenderApi, SenderStatus } from './sender.entity';
import { SendersRepository } from './senders.repository';
import { TokenCipher } from './token-cipher';

export interface CreateSenderCommand {
  name: string;
  api: SenderApi;
  phoneNumberId: string;
  accessToken: string;
  wabaId?: string;
  baseUrl?: string;
  connection?: SenderConnection;
  throughputMps?: number;
  messagingLimit?: MessagingLimit;
  portfolio?: string;
}

export type UpdateSenderCommand = Partial<CreateSenderCommand> & { status?: 'active' | 'paused' };

const CREDENTIALS_TTL_MS = 10_000;

/**
 * Where a sender's access token is sent: the Graph API (WHATSAPP_GRAPH_URL) for Cloud senders,
 * the origin of `baseUrl` for On-Premises ones.
 */
function tokenDestination(api: SenderApi, baseUrl: string | undefined): string {
  if (api === 'cloud') return 'graph';
  try {
    return baseUrl ? new URL(baseUrl).origin : '';
  } catch {
    return baseUrl ?? '';
  }
}

function isDuplicate(error: unknown): boolean {
  return (
    (error as { code?: string })?.code === 'ER_DUP_ENTRY' ||
    (error as { driverError?: { code?: string } })?.driverError?.code === 'ER_DUP_ENTRY'
  );
}

/**
 * Senders: the WhatsApp numbers messages leave from. Owns their caps and status, and is
 * the one place access tokens are encrypted and decrypted.
 */
@Injectable()
export class SendersService {
  private readonly logger = new Logger(SendersService.name);
  private readonly credentials = new Map<number, { value: SenderCredentials; until: number }>();

  constructor(
    private readonly repository: SendersRepository,
    @Inject(TokenCipher) private readonly cipher: TokenCipher,
  ) {}

  async create(command: CreateSenderCommand): Promise<Sender> {
    const connection = command.connection ?? 'single';
    this.checkApiFields(command.api, command.baseUrl);
    try {
      const id = await this.repository.insert({
        name: command.name,
        api: command.api,
        phoneNumberId: command.phoneNumberId,
        wabaId: command.wabaId ?? null,
        baseUrl: command.api === 'onprem' ? (command.baseUrl ?? null) : null,
        connection,
        accessTokenEnc: this.cipher.encrypt(command.accessToken),
        throughputMps: command.throughputMps ?? defaultThroughput(command.api, connection),
        messagingLimit: limitToColumn(command.messagingLimit ?? NEW_PORTFOLIO_MESSAGING_LIMIT) ?? null,
        portfolio: command.portfolio ?? null,
      });
      this.logger.log(`sender ${id} created (${command.api})`);
      return this.get(id);
    } catch (error) {
      if (isDuplicate(error)) throw DomainError.conflict(`a sender with phoneNumberId ${command.phoneNumberId} already exists`);
      throw error;
    }
  }

  async get(id: number): Promise<Sender> {
    const sender = await this.repository.findById(id);
    if (!sender) throw DomainError.notFound('sender', id);
    return sender;
  }

  async list(limit?: number, cursor?: string): Promise<Page<Sender>> {
    const size = clampLimit(limit);
    const after = decodeCursor<{ id: number }>(cursor)?.id ?? 0;
    return toPage(await this.repository.listAfter(Number(after), size), size, (s) => ({ id: s.id }));
  }

  async update(id: number, command: UpdateSenderCommand): Promise<Sender> {
    const current = await this.get(id);
    const api = command.api ?? current.api;
    const connection = command.connection ?? current.connection;
    const baseUrl = command.baseUrl ?? current.baseUrl ?? undefined;
    this.checkApiFields(api, baseUrl);
    if (
      command.accessToken === undefined &&
      tokenDestination(api, baseUrl) !== tokenDestination(current.api, current.baseUrl ?? undefined)
    ) {
      throw DomainError.validation(
        'send accessToken again to move a sender to another API or baseUrl origin: a stored access token is only ever sent where it was given for',
      );
    }
    const values: Partial<Sender> = {};
    if (command.name !== undefined) values.name = command.name;
    if (command.api !== undefined) values.api = command.api;
    if (command.phoneNumberId !== undefined) values.phoneNumberId = command.phoneNumberId;
    if (command.wabaId !== undefined) values.wabaId = command.wabaId;
    if (command.baseUrl !== undefined) values.baseUrl = command.baseUrl;
    if (command.connection !== undefined) values.connection = command.connection;
    if (command.portfolio !== undefined) values.portfolio = command.portfolio;
    if (command.messagingLimit !== undefined) values.messagingLimit = limitToColumn(command.messagingLimit) ?? null;
    if (command.throughputMps !== undefined) values.throughputMps = command.throughputMps;
    else if (
      (command.api !== undefined || command.connection !== undefined) &&
      current.throughputMps === defaultThroughput(current.api, current.connection)
    ) {
      // Still on the old default: follow the new API's default.
      values.throughputMps = defaultThroughput(api, connection);
    }
    if (command.accessToken !== undefined) {
      values.accessTokenEnc = this.cipher.encrypt(command.accessToken);
      // A new token is the fix for a sender marked broken by an auth error.
      if (current.status === 'broken' && command.status === undefined) Object.assign(values, { status: 'active', statusReason: null });
    }
    if (command.status !== undefined) Object.assign(values, { status: command.status, statusReason: null });
    try {
      if (Object.keys(values).length > 0) await this.repository.update(id, values);
    } catch (error) {
      if (isDuplicate(error)) throw DomainError.conflict(`a sender with phoneNumberId ${command.phoneNumberId} already exists`);
      throw error;
    }
    this.credentials.delete(id);
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    const active = await this.repository.countActiveBroadcasts(id);
    if (active > 0)
      throw DomainError.conflict(`sender ${id} is used by ${active} scheduled, running or paused broadcast(s); cancel them first`);
    if (!(await this.repository.delete(id))) throw DomainError.notFound('sender', id);
    this.credentials.delete(id);
  }

  /**
   * What a WhatsApp client needs to send as this sender, token decrypted. Cached for 10 s per
   * process (the dispatch hot path asks per batch); an update in this process clears it.
   */
  async getCredentials(senderId: number): Promise<SenderCredentials> {
    const cached = this.credentials.get(senderId);
    if (cached && cached.until > Date.now()) return cached.value;
    const sender = await this.repository.findWithToken(senderId);
    if (!sender) throw DomainError.notFound('sender', senderId);
    const value: SenderCredentials = {
      id: sender.id,
      api: sender.api,
      phoneNumberId: sender.phoneNumberId,
      accessToken: this.cipher.decrypt(sender.accessTokenEnc),
      baseUrl: sender.baseUrl,
      wabaId: sender.wabaId,
    };
    this.credentials.set(senderId, { value, until: Date.now() + CREDENTIALS_TTL_MS });
    return value;
  }

  /** An auth error (190, 0, 3, 10, 200–299): nothing more is sent until the token is fixed. */
  markBroken(id: number, reason: string): Promise<void> {
    return this.setStatus(id, 'broken', reason);
  }

  /** E.g. Meta's spam limit (131048): the sender's broadcasts stop until an operator resumes it. */
  pause(id: number, reason: string): Promise<void> {
    return this.setStatus(id, 'paused', reason);
  }

  async resume(id: number): Promise<void> {
    await this.setStatus(id, 'active', null);
  }

  /** Every sender's phone number id (to recognise webhooks addressed to our numbers). */
  phoneNumberIds(): Promise<string[]> {
    return this.repository.phoneNumberIds();
  }

  private async setStatus(id: number, status: SenderStatus, reason: string | null): Promise<void> {
    if (!(await this.repository.setStatus(id, status, reason))) throw DomainError.notFound('sender', id);
    this.credentials.delete(id);
    if (status !== 'active') this.logger.warn(`sender ${id} is now ${status}: ${reason ?? ''}`);
  }

  private checkApiFields(api: SenderApi, baseUrl: string | undefined): void {
    if (api === 'onprem' && !baseUrl)
      throw DomainError.validation('baseUrl is required for an onprem sender (the On-Premises API gateway URL)');
  }
}
