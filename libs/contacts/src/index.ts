export * from './entities/contact.entity';
export * from './entities/contact-list.entity';
export * from './entities/contact-import.entity';
export * from './audience/audience';
export * from './audience/audience-reader';
export * from './contacts.module';
