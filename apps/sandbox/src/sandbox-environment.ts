import { readFileSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength, validateSync } from 'class-validator';
import { SANDBOX_APP_SECRET } from '@clarion/whatsapp';
import type { SandboxConfigPatch } from './sandbox-config';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** The sandbox process's variables, validated once at start (the sandbox is its own app, not Clarion's Environment). */
export class SandboxEnvironment {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  SANDBOX_PORT = 3999;

  @IsString()
  SANDBOX_HOST = '127.0.0.1';

  /** Where signed status webhooks go; "off" disables them. */
  @IsString()
  SANDBOX_WEBHOOK_URL = 'http://127.0.0.1:3000/webhooks/whatsapp';

  @IsString()
  @MinLength(8)
  SANDBOX_APP_SECRET = SANDBOX_APP_SECRET;

  /** Default throughput cap per phone number (msg/s). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SANDBOX_MPS = 1000;

  /** How long Meta's review of a submitted template takes before its APPROVED/REJECTED webhook (ms). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  SANDBOX_TEMPLATE_REVIEW_MS = 2000;

  /** Comma-separated bearer tokens to accept; unset accepts any. */
  @IsOptional()
  @IsString()
  SANDBOX_ACCESS_TOKENS?: string;

  /** A JSON SandboxConfig patch (templates, fault rates, delays…), applied after the variables above. */
  @IsOptional()
  @IsString()
  SANDBOX_CONFIG?: string;

  /** A file holding such a JSON patch (applied before SANDBOX_CONFIG). */
  @IsOptional()
  @IsString()
  SANDBOX_CONFIG_FILE?: string;

  @IsIn(['silent', 'info'])
  SANDBOX_LOG = 'info';

  /** The configuration these variables describe. Throws naming the variable when one is wrong. */
  toConfigPatches(): SandboxConfigPatch[] {
    const base: SandboxConfigPatch = {
      defaultMps: this.SANDBOX_MPS,
      templateReview: { delayMs: this.SANDBOX_TEMPLATE_REVIEW_MS },
      webhook: {
        url: this.SANDBOX_WEBHOOK_URL === 'off' || this.SANDBOX_WEBHOOK_URL === '' ? null : this.SANDBOX_WEBHOOK_URL,
        appSecret: this.SANDBOX_APP_SECRET,
      },
    };
    if (this.SANDBOX_ACCESS_TOKENS)
      base.accessTokens = this.SANDBOX_ACCESS_TOKENS.split(',')
        .map((t) => t.trim())
        .filter(Boolean);
    const patches = [base];
    if (this.SANDBOX_CONFIG_FILE) patches.push(parsePatch('SANDBOX_CONFIG_FILE', readFileSync(this.SANDBOX_CONFIG_FILE, 'utf8')));
    if (this.SANDBOX_CONFIG) patches.push(parsePatch('SANDBOX_CONFIG', this.SANDBOX_CONFIG));
    return patches;
  }
}

function parsePatch(variable: string, text: string): SandboxConfigPatch {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as SandboxConfigPatch;
  } catch {
    // reported below
  }
  throw new Error(`Invalid configuration:\n  ${variable}: must be a JSON object (a sandbox config patch)`);
}

export function validateSandboxEnvironment(raw: Record<string, unknown>): SandboxEnvironment {
  const known = Object.fromEntries(Object.entries(raw).filter(([k, v]) => k.startsWith('SANDBOX_') && v !== undefined));
  const env = plainToInstance(SandboxEnvironment, known, { exposeDefaultValues: true });
  const errors = validateSync(env);
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}
