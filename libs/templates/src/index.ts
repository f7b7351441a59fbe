export * from './template.entity';
export * from './rendering';
export * from './rules/template-rules';
export * from './rules/template-variables';
export * from './template-status';
export * from './templates.service';
export * from './sync-templates.service';
export * from './templates.module';
