import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

export interface InitialJs {
  /** Files loaded before the page can show anything (static imports only; lazy chunks excluded). */
  files: Array<{ file: string; gzipBytes: number }>;
  gzipBytes: number;
}

/**
 * The JavaScript a page of the console needs up front, from Vite's build manifest
 * (dist/console/.vite/manifest.json): the entry and its static imports, plus the page's own chunk
 * (`route`, its source path, e.g. src/features/dashboard/DashboardPage.tsx) and its static
 * imports. Lazy chunks (charts, other pages) are not counted: they load later, or never. Sizes are
 * gzip (level 9, as a server compressing static files would send them).
 */
export function initialJavaScript(consoleDist: string, route?: string): InitialJs {
  const manifest = JSON.parse(readFileSync(join(consoleDist, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in the console's build manifest`);
    seen.add(key);
    chunk.imports?.forEach(visit);
  };
  const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entry) throw new Error('the build manifest names no entry');
  visit(entry);
  if (route) {
    const key = Object.keys(manifest).find((k) => manifest[k].src === route || k === route);
    if (!key) throw new Error(`${route} is not a chunk of the console's build`);
    visit(key);
  }
  const files = [...seen]
    .map((k) => manifest[k].file)
    .filter((f) => f.endsWith('.js'))
    .map((file) => ({ file, gzipBytes: gzipSync(readFileSync(join(consoleDist, file)), { level: 9 }).length }))
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
  return { files, gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}
