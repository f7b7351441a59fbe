import { Module } from '@nestjs/common';
import { AdminBootstrap, AuthModule } from '@clarion/auth';
import { AuthController } from './auth.controller';
import { UsersController } from './users.controller';

/** Sign-in, sessions and the people who use the console; the bootstrap admin at boot. */
@Module({
  imports: [AuthModule],
  controllers: [AuthController, UsersController],
  providers: [AdminBootstrap],
})
export class PeopleApiModule {}
