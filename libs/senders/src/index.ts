export * from './sender.entity';
export * from './sender-limits';
export * from './token-cipher';
export * from './token-cipher.module';
export * from './senders.service';
export * from './sync-sender.service';
export * from './senders.module';
