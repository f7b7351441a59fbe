// Writes the API's OpenAPI document (dist/openapi.json, from the built API without a database)
// and the console's typed client schema from it (apps/console/src/api/schema.ts): a field renamed
// in the API then breaks the console's type-check. Its enums are also written as value lists
// (`enumValues`), so the console's filters offer exactly what the API accepts. Run by
// `npm run build` and `npm run typecheck`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const documentPath = join(root, 'dist', 'openapi.json');
const schemaPath = join(root, 'apps', 'console', 'src', 'api', 'schema.ts');

execFileSync(process.execPath, [join(root, 'dist', 'apps', 'api', 'src', 'openapi', 'write-openapi.js'), documentPath], {
  stdio: 'inherit',
  env: { ...process.env, LOG_LEVEL: 'error' },
});
const ast = await openapiTS(pathToFileURL(documentPath), { enumValues: true });
const banner = '// Generated from the API\'s OpenAPI document by scripts/console-api.mjs: do not edit.\n\n';
const text = banner + astToString(ast);
mkdirSync(dirname(schemaPath), { recursive: true });
let previous = '';
try {
  previous = readFileSync(schemaPath, 'utf8');
} catch {
  // first run
}
if (previous !== text) writeFileSync(schemaPath, text);
