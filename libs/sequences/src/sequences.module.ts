import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BroadcastsModule } from '@clarion/broadcasts';
import { ContactsModule } from '@clarion/contacts';
import { StatsModule } from '@clarion/stats';
import { EnrollContacts } from './enrollment/enroll-contacts.service';
import { SequenceSheets } from './enrollment/sequence-sheets.service';
import { UnenrollContacts } from './enrollment/unenroll-contacts.service';
import { SheetsRepository } from './repositories/sheets.repository';
import { Sequence } from './entities/sequence.entity';
import { SequenceEnrollment } from './entities/sequence-enrollment.entity';
import { SequenceStep } from './entities/sequence-step.entity';
import { CreateSequence } from './management/create-sequence.service';
import { DeleteSequence } from './management/delete-sequence.service';
import { PauseSequence } from './management/pause-sequence.service';
import { SequenceQueries } from './management/sequence-queries.service';
import { UpdateSequence } from './management/update-sequence.service';
import { StepBroadcastsAdapter } from './ports/step-broadcasts.adapter';
import { StepBroadcasts } from './ports/step-broadcasts.port';
import { EnrollmentsRepository } from './repositories/enrollments.repository';
import { SequencesRepository } from './repositories/sequences.repository';
import { DueStepEnqueuer } from './tick/due-step-enqueuer';
import { ReplyCheck } from './tick/reply-check';
import { SequenceTick } from './tick/sequence-tick';
import { TickLock } from './tick/tick-lock';

const EXPORTED = [
  CreateSequence,
  UpdateSequence,
  PauseSequence,
  DeleteSequence,
  SequenceQueries,
  EnrollContacts,
  UnenrollContacts,
  SequenceSheets,
  SequenceTick,
  DueStepEnqueuer,
];

/** Drip sequences: definitions, enrolments and the tick that hands due steps to dispatch. */
@Module({
  imports: [TypeOrmModule.forFeature([Sequence, SequenceStep, SequenceEnrollment]), BroadcastsModule, ContactsModule, StatsModule],
  providers: [
    ...EXPORTED,
    SequencesRepository,
    EnrollmentsRepository,
    SheetsRepository,
    TickLock,
    ReplyCheck,
    { provide: StepBroadcasts, useClass: StepBroadcastsAdapter },
  ],
  exports: EXPORTED,
})
export class SequencesModule {}
