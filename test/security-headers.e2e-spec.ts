import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bearer, startApi } from './support/apps';

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name, values]),
  );
}

describe('security headers', () => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    app = await startApi();
    http = request(app.getHttpServer());
  });
  afterAll(() => app.close());

  it("sends a CSP allowing only the site's own scripts, with helmet's other headers", async () => {
    const res = await http.get('/v1/auth/me').set(bearer()).expect(200);
    const csp = directives(res.headers['content-security-policy']);
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['script-src-attr']).toEqual(["'none'"]);
    expect(csp['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp['img-src']).toEqual(["'self'", 'data:']);
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['upgrade-insecure-requests']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('sends them on errors and on routes that need no token', async () => {
    expect((await http.get('/v1/nothing-here').expect(404)).headers['content-security-policy']).toContain("script-src 'self'");
    expect((await http.get('/health').expect(200)).headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('serves Swagger UI at /docs under that CSP: no inline script, and every script it names loads from this site', async () => {
    const page = await http.get('/docs').redirects(1).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");

    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body.trim()).toBe(''); // an inline script would be refused by script-src 'self'
      const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
      expect(src).toBeDefined();
      expect(src).not.toMatch(/^(https?:)?\/\//); // same origin
      const url = new URL(src!, 'http://host/docs/').pathname;
      const js = await http.get(url).expect(200);
      expect(js.headers['content-type']).toMatch(/javascript/);
      expect(js.text.length).toBeGreaterThan(0);
    }
    expect(page.text).not.toMatch(/\son[a-z]+=["']/i); // no inline event handlers (script-src-attr 'none')

    const init = await http.get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('SwaggerUIBundle');
    await http.get('/docs-json').expect(200);
  });
});
