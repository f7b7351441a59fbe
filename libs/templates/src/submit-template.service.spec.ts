import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateTemplate } from './rules/template-rules';
import { toMetaRequest } from './submit-template.service';

const EXAMPLES = join(__dirname, '../../../test/fixtures/whatsapp-examples');
const example = (file: string) => JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Record<string, unknown>;

describe('toMetaRequest', () => {
  it.each(['template-create.positional-params.meta-docs.json', 'template-create.named-params.meta-docs.json'])(
    "gives back Meta's create example %s, examples included (only spelled in upper case)",
    (file) => {
      const meta = example(file) as { category: string; components: Array<Record<string, unknown>> };
      const request = toMetaRequest(validateTemplate(meta as never));
      expect(request).toEqual({
        ...meta,
        category: meta.category.toUpperCase(),
        components: meta.components.map((c) => ({ ...c, type: String(c.type).toUpperCase() })),
      });
    },
  );
});
