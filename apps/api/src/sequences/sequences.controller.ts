import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Audited } from '@clarion/audit';
import { AuthenticatedRequest, ReadRoles, Role, Roles } from '@clarion/auth';
import type { Page } from '@clarion/common';
import type { Environment } from '@clarion/config';
import { discardUpload, receiveUpload } from '../contacts/multipart-upload';
import {
  CreateSequence,
  DeleteSequence,
  EnrollContacts,
  EnrollmentView,
  EnrollResult,
  PauseSequence,
  SequenceQueries,
  SequenceSheets,
  SequenceView,
  SheetView,
  UnenrollContacts,
  UpcomingSendsView,
  UpdateSequence,
} from '@clarion/sequences';
import {
  CreateSequenceDto,
  EnrollDto,
  SequenceSheetUploadDto,
  EnrollmentListQueryDto,
  SequenceListQueryDto,
  UpcomingQueryDto,
  UpdateSequenceDto,
} from './sequence.dto';
import { EnrollmentPageView, SequencePageView, SequenceViewSchema, UpcomingSendsViewSchema } from './sequence.views';

@ApiTags('sequences')
@ApiBearerAuth()
@Controller('v1/sequences')
export class SequencesController {
  constructor(
    private readonly creator: CreateSequence,
    private readonly updater: UpdateSequence,
    private readonly pauser: PauseSequence,
    private readonly deleter: DeleteSequence,
    private readonly queries: SequenceQueries,
    private readonly enroller: EnrollContacts,
    private readonly unenroller: UnenrollContacts,
    private readonly sheets: SequenceSheets,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  @Post()
  @Audited('sequence.create', { target: 'sequence', table: 'sequences' })
  @Roles(Role.Marketer)
  @ApiOperation({ summary: 'Create a sequence; each step gets its own step broadcast' })
  @ApiCreatedResponse({ type: SequenceViewSchema })
  create(@Body() dto: CreateSequenceDto, @Req() req: AuthenticatedRequest): Promise<SequenceView> {
    return this.creator.execute(dto, req.principal?.name ?? null);
  }

  @Get()
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'Sequences, newest first' })
  @ApiOkResponse({ type: SequencePageView })
  list(@Query() q: SequenceListQueryDto): Promise<Page<SequenceView>> {
    return this.queries.list({ search: q.search, status: q.status }, q.limit, q.cursor);
  }

  @Get(':id')
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'A sequence with statistics per step' })
  @ApiOkResponse({ type: SequenceViewSchema })
  get(@Param('id', ParseIntPipe) id: number): Promise<SequenceView> {
    return this.queries.get(id);
  }

  @Get(':id/upcoming')
  @Roles(...ReadRoles)
  @ApiOperation({
    summary: 'Sends falling due in the next days, per step and per hour or day',
    description:
      'Each active run counts once, at the step it waits for (its later steps are timed from when WhatsApp accepts that one). ' +
      'Runs already due count in the first bucket; a paused sequence shows what waits for its resume.',
  })
  @ApiOkResponse({ type: UpcomingSendsViewSchema })
  upcoming(@Param('id', ParseIntPipe) id: number, @Query() q: UpcomingQueryDto): Promise<UpcomingSendsView> {
    return this.queries.upcoming(id, q);
  }

  @Patch(':id')
  @Audited('sequence.update', { target: 'sequence', table: 'sequences' })
  @Roles(Role.Marketer)
  @ApiOperation({ summary: 'Edit a sequence; only sends not yet made are affected' })
  @ApiOkResponse({ type: SequenceViewSchema })
  update(@Param('id', ParseIntPipe) id: number, @Body() dto: UpdateSequenceDto): Promise<SequenceView> {
    return this.updater.execute(id, dto);
  }

  @Delete(':id')
  @Audited('sequence.delete', { target: 'sequence', table: 'sequences' })
  @HttpCode(204)
  @Roles(Role.Marketer)
  @ApiOperation({ summary: 'Delete a sequence: everyone is unenrolled and its step broadcasts are cancelled' })
  async remove(@Param('id', ParseIntPipe) id: number): Promise<void> {
    await this.deleter.execute(id);
  }

  @Post(':id/pause')
  @Audited('sequence.pause', { target: 'sequence', table: 'sequences' })
  @HttpCode(200)
  @Roles(Role.Marketer)
  @ApiOperation({ summary: 'Hold every due step, including those already handed to dispatch' })
  @ApiOkResponse({ type: SequenceViewSchema })
  pause(@Param('id', ParseIntPipe) id: number): Promise<SequenceView> {
    return this.pauser.pause(id);
  }

  @Post(':id/resume')
  @Audited('sequence.resume', { target: 'sequence', table: 'sequences' })
  @HttpCode(200)
  @Roles(Role.Marketer)
  @ApiOkResponse({ type: SequenceViewSchema })
  resume(@Param('id', ParseIntPipe) id: number): Promise<SequenceView> {
    return this.pauser.resume(id);
  }

  @Post(':id/enrollments')
  @Audited('sequence.enroll', { target: 'sequence' })
  @HttpCode(202)
  @Roles(Role.Marketer)
  @ApiOperation({
    summary:
      'Enrol a list, an import, tags or contact ids (JSON), or a sequence sheet (multipart CSV: each row enrols a contact with its attributes)',
    description:
      'JSON answers { enrolled, alreadyEnrolled, restarted, optedOut }; enrolling twice is a no-op under the ignore policy. A sheet is imported in the background (as POST /v1/imports, mode upsert) and answers { importId, status: "importing", enrolled: null }; follow it at GET /v1/sequences/:id/sheets/:importId.',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiExtraModels(EnrollDto, SequenceSheetUploadDto)
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(EnrollDto) }, { $ref: getSchemaPath(SequenceSheetUploadDto) }] } })
  async enroll(
    @Param('id', ParseIntPipe) id: number,
    @Body() dto: EnrollDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<EnrollResult | SheetView> {
    if (req.is('multipart/form-data')) {
      const upload = await receiveUpload(req, {
        dir: this.config.get('UPLOAD_DIR', { infer: true }),
        maxBytes: this.config.get('MAX_UPLOAD_MB', { infer: true }) * 1024 * 1024,
      });
      const { reenrollment, ...fields } = upload.fields;
      if (reenrollment !== undefined && reenrollment !== 'ignore' && reenrollment !== 'restart') {
        await discardUpload(upload);
        throw new BadRequestException('reenrollment must be ignore or restart');
      }
      return this.sheets.start(id, { ...upload, fields }, (reenrollment as 'ignore' | 'restart' | undefined) ?? null);
    }
    const { reenrollment, ...audience } = dto;
    return this.enroller.enrollAudience(id, audience, reenrollment);
  }

  @Get(':id/sheets/:importId')
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'Where a sequence sheet stands: importing, enrolled (with counts) or failed' })
  sheet(@Param('id', ParseIntPipe) id: number, @Param('importId', ParseIntPipe) importId: number): Promise<SheetView> {
    return this.sheets.get(id, importId);
  }

  @Get(':id/enrollments')
  @Roles(...ReadRoles)
  @ApiOperation({ summary: 'Runs of a sequence, newest first, with where each stands and why it stopped' })
  @ApiOkResponse({ type: EnrollmentPageView })
  enrollments(@Param('id', ParseIntPipe) id: number, @Query() q: EnrollmentListQueryDto): Promise<Page<EnrollmentView>> {
    return this.queries.enrollmentPage(id, { status: q.status, contactId: q.contactId }, q.limit, q.cursor);
  }

  @Post(':id/unenrollments')
  @Audited('sequence.unenroll', { target: 'sequence' })
  @HttpCode(200)
  @Roles(Role.Marketer)
  @ApiOperation({ summary: 'Unenrol a list, an import, tags or contact ids: no further step, and steps not yet sent are withdrawn' })
  unenroll(@Param('id', ParseIntPipe) id: number, @Body() dto: EnrollDto): Promise<{ unenrolled: number; withdrawn: number }> {
    const { reenrollment: _ignored, ...audience } = dto;
    return this.unenroller.unenroll(id, audience);
  }
}
