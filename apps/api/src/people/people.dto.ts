import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsEnum, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, Principal, Role, User } from '@clarion/auth';
import { PageQueryDto } from '../http/page-query.dto';

const PASSWORD_RULE = `${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`;

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'ada@example.com', description: 'unique, compared case-insensitively' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role)
  role: Role;

  @ApiProperty({ writeOnly: true, description: PASSWORD_RULE })
  @IsString()
  @Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, { message: `password must be ${PASSWORD_RULE}` })
  password: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: Role })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  @ApiPropertyOptional({ description: 'a disabled user cannot sign in; disabling ends their sessions' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ writeOnly: true, description: `${PASSWORD_RULE}; ends the user's other sessions` })
  @IsOptional()
  @IsString()
  @Length(MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH, { message: `password must be ${PASSWORD_RULE}` })
  password?: string;
}

export class UsersQueryDto extends PageQueryDto {}

export class UserView {
  @ApiProperty() id: number;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty() disabled: boolean;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) lastSignInAt: Date | null;

  /** Never the password hash. */
  static of(u: User): UserView {
    return {
      id: u.id,
      email: u.email,
      name: u.name,
      role: u.role,
      disabled: u.disabled,
      createdAt: u.createdAt,
      updatedAt: u.updatedAt,
      lastSignInAt: u.lastSignInAt,
    };
  }
}

export class UserPageView {
  @ApiProperty({ type: [UserView] }) data: UserView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** What sign-in answers: the person now signed in. */
export class SignedInView {
  @ApiProperty() id: number;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: Role }) role: Role;
}

/** Who is calling: a signed-in person (id and email set) or an API token (id and email null). */
export class MeView {
  @ApiProperty({ nullable: true, type: Number, description: "the user's id; null for an API token" }) id: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'null for an API token' }) email: string | null;
  @ApiProperty({ description: "the user's name, or the token's" }) name: string;
  @ApiProperty({ enum: Role }) role: Role;
  @ApiProperty({ enum: ['session', 'token'], description: 'how the caller authenticated' }) via: 'session' | 'token';

  static of(p: Principal): MeView {
    return p.kind === 'user'
      ? { id: p.userId, email: p.email, name: p.name, role: p.role, via: 'session' }
      : { id: null, email: null, name: p.name, role: p.role, via: 'token' };
  }
}
