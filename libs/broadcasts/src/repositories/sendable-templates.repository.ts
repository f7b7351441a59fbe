import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { DomainError } from '@clarion/common';
import { Template } from '@clarion/templates';

/** Templates as broadcasts need them: APPROVED, by name and language (the sender's WABA first, then unattached ones). */
@Injectable()
export class SendableTemplatesRepository {
  constructor(@InjectRepository(Template) private readonly templates: Repository<Template>) {}

  /** Throws DomainError: not found, or invalid state naming the template's status when it is not APPROVED. */
  async findSendable(name: string, language: string, wabaId: string | null): Promise<Template> {
    const candidates = await this.templates.find({ where: { name, language, wabaId: In(wabaId ? [wabaId, ''] : ['']) } });
    const ordered = candidates.sort((a, b) => (a.wabaId === wabaId ? -1 : 0) - (b.wabaId === wabaId ? -1 : 0));
    const found = ordered[0] ?? (await this.templates.findOne({ where: { name, language } }));
    if (!found) throw DomainError.validation(`template: no template "${name}" in language "${language}"`);
    if (found.status !== 'APPROVED')
      throw DomainError.validation(`template: "${name}" (${language}) is ${found.status}; only APPROVED templates can be sent`);
    return found;
  }

  findById(id: number): Promise<Template | null> {
    return this.templates.findOneBy({ id });
  }
}
