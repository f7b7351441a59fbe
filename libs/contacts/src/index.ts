export * from './entities/contact.entity';
export * from './entities/contact-list.entity';
export * from './entities/contact-import.entity';
