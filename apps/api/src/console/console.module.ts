import { DynamicModule, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';

/** Paths the console never answers with its page: the API's own (their 404s stay JSON) and missing assets. */
export const CONSOLE_EXCLUDED_PATHS = ['/v1/(.*)', '/docs(.*)', '/webhooks/(.*)', '/health(.*)', '/metrics(.*)', '/assets/(.*)'];

/**
 * Where the console's build is: `dist/console`, next to `dist/apps` when running the build, or
 * under the repository's `dist/` when the API runs from its TypeScript sources (tests).
 */
export function consoleRoot(): string | null {
  const up = join(__dirname, '..', '..', '..', '..');
  const candidates = [join(up, 'console'), join(up, 'dist', 'console')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

function cacheHeaders(res: ServerResponse, path: string): void {
  // Vite names assets by their content hash: they never change. index.html must be fetched again.
  if (/[\\/]assets[\\/]/.test(path)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  else res.setHeader('Cache-Control', 'no-cache');
}

/**
 * The console (apps/console, a single-page app): its files, and index.html for every other path
 * that is not the API's, so that the app's links can be bookmarked and reloaded.
 */
@Module({})
export class ConsoleModule implements OnApplicationBootstrap {
  private static rootPath: string | null = null;

  onApplicationBootstrap(): void {
    if (!ConsoleModule.rootPath) new Logger(ConsoleModule.name).warn('the console is not built (npm run build): / answers 404');
  }

  static register(): DynamicModule {
    const rootPath = consoleRoot();
    ConsoleModule.rootPath = rootPath;
    if (!rootPath) return { module: ConsoleModule };
    return {
      module: ConsoleModule,
      imports: [
        ServeStaticModule.forRoot({
          rootPath,
          exclude: CONSOLE_EXCLUDED_PATHS,
          serveStaticOptions: { index: 'index.html', setHeaders: cacheHeaders, fallthrough: true },
        }),
      ],
    };
  }
}
