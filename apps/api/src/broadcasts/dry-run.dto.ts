import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';
import { CreateBroadcastDto } from './broadcast.dto';

export class PreviewContactDto {
  @ApiPropertyOptional({ example: 42 }) @IsOptional() @IsInt() @Min(1) contactId?: number;
  @ApiPropertyOptional({ example: '+919876543210', description: 'in any spelling: digits are compared' })
  @IsOptional()
  @IsString()
  @Length(4, 30)
  phone?: string;
}

export class DryRunBroadcastDto extends CreateBroadcastDto {
  @ApiPropertyOptional({
    type: PreviewContactDto,
    description: 'also render this contact of the audience (by id or phone) into `preview`, wherever it is in the audience',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PreviewContactDto)
  previewContact?: PreviewContactDto;
}

class DryRunSampleView {
  @ApiProperty() contactId: number;
  @ApiProperty() phone: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'the rendered template components, as sent to WhatsApp' })
  components: Array<Record<string, unknown>>;
}

class DryRunPreviewView extends DryRunSampleView {
  @ApiProperty({ nullable: true, type: String, description: 'why this contact would be skipped; null: it would be sent' })
  skipReason: string | null;
  @ApiProperty({ nullable: true, type: String }) message: string | null;
}

class DryRunSkipView {
  @ApiProperty() contactId: number;
  @ApiProperty() phone: string;
  @ApiProperty() reason: string;
  @ApiProperty({ nullable: true, type: String }) message: string | null;
}

class DryRunCountryView {
  @ApiProperty({ nullable: true, type: String, description: 'ISO 3166 alpha-2; null when unknown' }) country: string | null;
  @ApiProperty() recipients: number;
  @ApiProperty({ description: "the price table's price of one message of the template's category there" }) unitPrice: number;
  @ApiProperty() cost: number;
}

/** What a would-be broadcast would do, recipient by recipient, counted on the server. */
export class DryRunReportView {
  @ApiProperty() total: number;
  @ApiProperty({ description: 'eligible recipients: those who would be sent' }) wouldSend: number;
  @ApiProperty() skipped: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { opted_out: 2 } })
  skippedByReason: Record<string, number>;
  @ApiProperty({ nullable: true, type: Number }) estimatedCost: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'MARKETING' }) category: string | null;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ type: [DryRunCountryView] }) byCountry: DryRunCountryView[];
  @ApiProperty({ type: [DryRunSampleView], description: 'the first 20 eligible recipients, rendered' }) samples: DryRunSampleView[];
  @ApiProperty({ type: [DryRunSkipView] }) skips: DryRunSkipView[];
  @ApiProperty({ type: DryRunPreviewView, nullable: true }) preview: DryRunPreviewView | null;
}
