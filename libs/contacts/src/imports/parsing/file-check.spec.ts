import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFile } from './file-check';

describe('checkFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clarion-check-'));
  const file = (name: string, content: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('passes UTF-8 text (with a BOM and a multi-byte character split across reads) and counts line breaks', async () => {
    const body = '\uFEFFPhone,Name\n' + '+919876543210,राहुल शर्मा\n'.repeat(50_000);
    const result = await checkFile(file('ok.csv', body));
    expect(result.problem).toBeUndefined();
    expect(result.lineBreaks).toBe(50_001);
    expect(result.head.startsWith('Phone,Name')).toBe(true);
  });

  it('refuses an empty file', async () => {
    expect((await checkFile(file('empty.csv', ''))).problem).toBe('the file is empty');
    expect((await checkFile(file('blank.csv', '\uFEFF \r\n\n'))).problem).toBe('the file is empty');
  });

  it('refuses binary content', async () => {
    expect((await checkFile(file('x.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])))).problem).toMatch(
      /binary/,
    );
  });

  it('refuses Latin-1 text, naming the line', async () => {
    const latin1 = Buffer.from('Phone,Name\n+919876543210,Asha\n+919876543211,Jos\xe9\n', 'latin1');
    expect((await checkFile(file('latin1.csv', latin1))).problem).toBe(
      'the file is not UTF-8 text (first bad byte near line 3); save the sheet as "CSV UTF-8"',
    );
  });
});
