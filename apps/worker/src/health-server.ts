import { createServer, Server } from 'node:http';
import { HealthService, metricsRegistry } from '@clarion/observability';

/** A worker's only listener: `/health` and `/metrics` on WORKER_PORT, for probes and Prometheus. */
export function startHealthServer(port: number, health: HealthService): Promise<Server> {
  const server = createServer((req, res) => {
    const respond = async () => {
      if (req.url === '/health') {
        const report = await health.check();
        res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(report));
      } else if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': metricsRegistry.contentType });
        res.end(await metricsRegistry.metrics());
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'a worker serves /health and /metrics only' }));
      }
    };
    respond().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(port, () => resolve(server)));
}
