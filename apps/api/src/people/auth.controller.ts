import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Audited } from '@clarion/audit';
import {
  CurrentPrincipal,
  Principal,
  Public,
  ReadRoles,
  Roles,
  SESSION_COOKIE,
  sessionCookieOptions,
  SessionsService,
  SignInService,
} from '@clarion/auth';
import { LoginDto, MeView, SignedInView } from './people.dto';

/** Signing in to the console: a session cookie instead of a bearer token. */
@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    private readonly sessions: SessionsService,
  ) {}

  @Post('login')
  @Audited('auth.sign_in', { target: 'user', failedAction: 'auth.sign_in_failed' })
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Signs in with email and password; sets the HttpOnly session cookie clarion_session',
    description:
      'A wrong password and an unknown email get the same 401. Then send X-Requested-With: clarion with every call that changes something.',
  })
  @ApiOkResponse({ type: SignedInView })
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SignedInView> {
    const { user, session } = await this.signIn.execute(dto.email, dto.password, { address: req.ip, userAgent: req.get('user-agent') });
    res.cookie(SESSION_COOKIE, session.token, sessionCookieOptions(req, session.expiresAt));
    return { id: user.id, email: user.email, name: user.name, role: user.role };
  }

  @Post('logout')
  @Audited('auth.sign_out')
  @Roles(...ReadRoles)
  @HttpCode(204)
  @ApiCookieAuth()
  @ApiOperation({ summary: 'Ends this session and clears its cookie (nothing to do for a bearer token)' })
  async logout(@CurrentPrincipal() caller: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    if (caller.kind === 'user') await this.sessions.close(caller.sessionId);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(req));
  }

  @Get('me')
  @Roles(...ReadRoles)
  @ApiBearerAuth()
  @ApiCookieAuth()
  @ApiOkResponse({ type: MeView })
  me(@CurrentPrincipal() caller: Principal): MeView {
    return MeView.of(caller);
  }
}
