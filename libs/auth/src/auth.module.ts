import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiToken } from './api-token.entity';
import { ApiTokensService } from './api-tokens.service';
import { AuthGuard } from './auth.guard';
import { RateLimitsModule } from './rate-limits';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';
import { SignInService } from './sign-in.service';
import { User } from './user.entity';
import { UsersService } from './users.service';

@Module({
  imports: [TypeOrmModule.forFeature([ApiToken, User, Session]), RateLimitsModule],
  providers: [ApiTokensService, SessionsService, UsersService, SignInService, AuthGuard],
  exports: [ApiTokensService, SessionsService, UsersService, SignInService, AuthGuard, RateLimitsModule],
})
export class AuthModule {}
