export * from './template.entity';
