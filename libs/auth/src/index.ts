export * from './role';
export * from './principal';
export * from './api-token.entity';
export * from './api-tokens.service';
export * from './decorators';
export * from './auth.guard';
export * from './auth.module';
export * from './token-hash';
