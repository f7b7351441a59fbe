import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { clampLimit, decodeCursor, DomainError, ErrorCode, isDuplicateKeyError, Page, toPage } from '@clarion/common';
import { normalizeEmail } from './email';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords';
import { Principal } from './principal';
import { Role } from './role';
import { SessionsService } from './sessions.service';
import { User } from './user.entity';

export interface CreateUserCommand {
  email: string;
  name: string;
  role: Role;
  password: string;
}

export interface UpdateUserCommand {
  name?: string;
  role?: Role;
  disabled?: boolean;
  password?: string;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw DomainError.validation(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
}

/** The people who sign in to the console: admins manage them here. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly sessions: SessionsService,
  ) {}

  async list(limit?: number, cursor?: string): Promise<Page<User>> {
    const take = clampLimit(limit);
    const after = decodeCursor<{ id: number }>(cursor);
    const query = this.users
      .createQueryBuilder('u')
      .orderBy('u.id', 'ASC')
      .take(take + 1);
    if (after) query.where('u.id > :id', { id: Number(after.id) });
    return toPage(await query.getMany(), take, (last) => ({ id: last.id }));
  }

  async get(id: number): Promise<User> {
    const user = await this.users.findOne({ where: { id } });
    if (!user) throw DomainError.notFound('user', id);
    return user;
  }

  async create(command: CreateUserCommand): Promise<User> {
    checkPassword(command.password);
    const email = normalizeEmail(command.email);
    try {
      const saved = await this.users.save(
        this.users.create({ email, name: command.name, role: command.role, passwordHash: await hashPassword(command.password) }),
      );
      return this.get(saved.id);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw DomainError.conflict(`a user with email ${email} already exists`);
      throw error;
    }
  }

  /**
   * Changes a user. Disabling them or setting a new password ends their sessions (a caller
   * changing their own password keeps the session they did it from). A new role applies to
   * open sessions at their next request: sessions read the user's row every time.
   */
  async update(id: number, command: UpdateUserCommand, caller?: Principal): Promise<User> {
    const user = await this.get(id);
    const self = caller?.kind === 'user' && caller.userId === id;
    if (self && command.disabled === true) throw DomainError.invalidState('you cannot disable your own account');
    if (self && command.role !== undefined && command.role !== user.role) {
      throw DomainError.invalidState('you cannot change your own role; ask another admin');
    }
    if (command.password !== undefined) checkPassword(command.password);

    const changes: Partial<User> = {};
    if (command.name !== undefined) changes.name = command.name;
    if (command.role !== undefined) changes.role = command.role;
    if (command.disabled !== undefined) changes.disabled = command.disabled;
    if (command.password !== undefined) changes.passwordHash = await hashPassword(command.password);
    if (Object.keys(changes).length > 0) await this.users.update({ id }, changes);

    if (command.disabled === true) await this.sessions.closeAllOf(id);
    else if (command.password !== undefined) await this.sessions.closeAllOf(id, self ? caller.sessionId : undefined);
    return this.get(id);
  }

  async remove(id: number, caller?: Principal): Promise<void> {
    if (caller?.kind === 'user' && caller.userId === id) throw DomainError.invalidState('you cannot delete your own account');
    const result = await this.users.delete({ id });
    if (!result.affected) throw DomainError.notFound('user', id);
    await this.sessions.closeAllOf(id);
  }

  /** The user with this email, password hash included, for signing in. */
  findWithPassword(email: string): Promise<User | null> {
    return this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: normalizeEmail(email) })
      .getOne();
  }

  /**
   * Makes this email an enabled admin with this password: creates the user, or sets the
   * password, role and enabled flag again (ending its sessions when the password changed).
   * Idempotent, so every API process may run it at boot.
   */
  async ensureAdmin(email: string, password: string): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const existing = await this.findWithPassword(email);
      if (!existing) {
        try {
          await this.create({ email, name: 'Administrator', role: Role.Admin, password });
          return;
        } catch (error) {
          // Another API process booting at the same time created it: update that one.
          if (error instanceof DomainError && error.code === ErrorCode.Conflict) continue;
          throw error;
        }
      }
      const samePassword = await verifyPassword(existing.passwordHash, password);
      if (samePassword && existing.role === Role.Admin && !existing.disabled) return;
      const changes: Partial<User> = { role: Role.Admin, disabled: false };
      if (!samePassword) changes.passwordHash = await hashPassword(password);
      await this.users.update({ id: existing.id }, changes);
      if (!samePassword) await this.sessions.closeAllOf(existing.id);
      return;
    }
  }

  async recordSignIn(id: number): Promise<void> {
    await this.users.update({ id }, { lastSignInAt: new Date() });
  }
}
