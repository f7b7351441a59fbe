import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { mapPages, Page, writeCsv } from '@clarion/common';
import { ReadRoles, Role, Roles } from '@clarion/auth';
import type { Environment } from '@clarion/config';
import { ImportError, ImportsService, ImportView, PreviewRow, SheetPreview } from '@clarion/contacts';
import { PageQueryDto } from '../http/page-query.dto';
import { receiveUpload } from './multipart-upload';

class ImportAcceptedDto {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['queued'] }) status: string;
}

class ImportUploadDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description:
      'CSV (UTF-8 with or without BOM; comma, semicolon or tab separated) or an Excel workbook (.xlsx): numbers, dates and formulas read as the text Excel shows',
  })
  file: unknown;

  @ApiPropertyOptional({ example: 'Leads', description: "the workbook's sheet to read (.xlsx); the first one when absent" })
  sheet?: string;

  @ApiPropertyOptional({
    description: 'JSON: {"phone":"Mobile","countryCode":"CC","name":"Customer","attributes":["City"]}; guessed from headers when absent',
  })
  mapping?: string;

  @ApiPropertyOptional({ example: 'IN', description: 'ISO 3166 alpha-2 country for numbers written without a country code' })
  defaultCountry?: string;

  @ApiPropertyOptional({ example: 'Diwali 2026', description: 'name of the contact list to add the contacts to (created if missing)' })
  list?: string;

  @ApiPropertyOptional({ example: 'vip,pune', description: 'comma-separated list or JSON array of tags' })
  tags?: string;

  @ApiPropertyOptional({
    enum: ['upsert', 'create', 'update'],
    default: 'upsert',
    description: 'create: new contacts only; update: existing only; upsert: both',
  })
  mode?: string;
}

class ImportErrorView implements ImportError {
  @ApiProperty({ description: '1 is the first row under the header' }) row: number;
  @ApiProperty() reason: string;
}

class ImportViewDto implements ImportView {
  @ApiProperty() id: number;
  @ApiProperty({ enum: ['queued', 'running', 'completed', 'failed'] }) status: ImportView['status'];
  @ApiProperty({ type: String, nullable: true }) fileName: string | null;
  @ApiProperty() fileBytes: number;
  @ApiProperty({ enum: ['upsert', 'create', 'update'] }) mode: string;
  @ApiProperty({ type: String, nullable: true }) defaultCountry: string | null;
  @ApiProperty({ type: Number, nullable: true }) listId: number | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ description: 'an estimate while a CSV runs (its line breaks), exact once done' }) totalRows: number;
  @ApiProperty() processedRows: number;
  @ApiProperty() created: number;
  @ApiProperty() updated: number;
  @ApiProperty() duplicates: number;
  @ApiProperty() invalid: number;
  @ApiProperty() skipped: number;
  @ApiProperty({ type: String, nullable: true }) failureReason: string | null;
  @ApiProperty({ type: [ImportErrorView], description: 'the first 100 rejected rows' }) errors: ImportErrorView[];
  @ApiProperty() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) startedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) finishedAt: Date | null;
}

class ImportPageView {
  @ApiProperty({ type: [ImportViewDto] }) data: ImportViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

class PreviewRowView implements PreviewRow {
  @ApiProperty({ description: '1 is the first row under the header' }) row: number;
  @ApiProperty({ type: [String] }) cells: string[];
  @ApiProperty({ type: String, nullable: true, example: '+919876543210', description: 'E.164, with defaultCountry' }) phone: string | null;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'why the import would reject this row' }) problem: string | null;
}

class PreviewMappingView {
  @ApiProperty({ example: 'Mobile' }) phone: string;
  @ApiProperty({ type: String, nullable: true }) countryCode: string | null;
  @ApiProperty({ type: [String], description: 'one name column, or first and last name' }) name: string[];
  @ApiProperty({ type: [String] }) attributes: string[];
}

class SheetPreviewView implements SheetPreview {
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format: 'csv' | 'xlsx';
  @ApiProperty({ enum: [',', ';', '\t'], nullable: true }) delimiter: ',' | ';' | '\t' | null;
  @ApiProperty({ enum: ['utf-8'], nullable: true }) encoding: 'utf-8' | null;
  @ApiProperty({ type: String, nullable: true, description: 'the worksheet read (xlsx)' }) sheet: string | null;
  @ApiProperty({ type: [String] }) headers: string[];
  @ApiProperty({ type: PreviewMappingView, description: 'the mapping sent, or the one guessed from the headers' })
  mapping: PreviewMappingView;
  @ApiProperty({ type: [PreviewRowView] }) rows: PreviewRowView[];
}

@ApiTags('imports')
@ApiBearerAuth()
@Roles(Role.Marketer)
@Controller('v1/imports')
export class ImportsController {
  private readonly dir: string;
  private readonly maxBytes: number;

  constructor(
    private readonly imports: ImportsService,
    config: ConfigService<Environment, true>,
  ) {
    this.dir = config.get('UPLOAD_DIR', { infer: true });
    this.maxBytes = config.get('MAX_UPLOAD_MB', { infer: true }) * 1024 * 1024;
  }

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Upload a contact sheet; it is imported in the background' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportUploadDto })
  @ApiOkResponse({ type: ImportAcceptedDto })
  async create(@Req() req: Request): Promise<ImportAcceptedDto> {
    return this.imports.start(await receiveUpload(req, { dir: this.dir, maxBytes: this.maxBytes }));
  }

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Read a sheet as its import would: delimiter, encoding, header, the guessed mapping and the first 20 rows with their phones normalised (defaultCountry) and why a row would be rejected. Nothing is imported and the upload is deleted; the first MiB of a CSV is enough',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportUploadDto })
  @ApiOkResponse({ type: SheetPreviewView })
  async preview(@Req() req: Request): Promise<SheetPreview> {
    return this.imports.preview(await receiveUpload(req, { dir: this.dir, maxBytes: this.maxBytes }));
  }

  @Get()
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'Imports, newest first' })
  @ApiOkResponse({ type: ImportPageView })
  list(@Query() query: PageQueryDto): Promise<Page<ImportView>> {
    return this.imports.list(query.limit, query.cursor);
  }

  @Get(':id')
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'Progress and the first 100 rejected rows (row = data row, 1 is the first row under the header)' })
  @ApiOkResponse({ type: ImportViewDto })
  get(@Param('id', ParseIntPipe) id: number): Promise<ImportView> {
    return this.imports.get(id);
  }

  @Get(':id/errors.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Every rejected row with its reason and the original cells' })
  async errors(@Param('id', ParseIntPipe) id: number, @Res() res: Response): Promise<void> {
    await this.imports.exists(id);
    res
      .status(200)
      .set({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="import-${id}-errors.csv"` });
    await writeCsv(
      res,
      ['row', 'reason', 'raw'],
      mapPages(this.imports.errorPages(id), (e) => [e.row, e.reason, e.raw]),
    );
  }
}
