import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The API's OpenAPI document, served at /docs and written out for the console's typed client. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Clarion')
      .setDescription('Bulk WhatsApp broadcasts: contacts, templates, broadcasts, sequences, statistics')
      .setVersion('1')
      .addBearerAuth()
      .addCookieAuth('clarion_session')
      .build(),
  );
}
