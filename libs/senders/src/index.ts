export * from './sender.entity';
