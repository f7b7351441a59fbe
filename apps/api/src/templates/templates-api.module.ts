import { Module } from '@nestjs/common';
import { TemplatesModule } from '@clarion/templates';
import { SenderTemplatesController, TemplatesController } from './templates.controller';

@Module({
  imports: [TemplatesModule],
  controllers: [TemplatesController, SenderTemplatesController],
})
export class TemplatesApiModule {}
