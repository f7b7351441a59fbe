import 'reflect-metadata';
import { mergeSandboxConfig, defaultSandboxConfig } from './sandbox-config';
import { validateSandboxEnvironment } from './sandbox-environment';
import { SandboxServer } from './sandbox-server';

/** `npm run start:sandbox`: a local WhatsApp server (Cloud API, On-Premises API, signed webhooks). */
async function main(): Promise<void> {
  const env = validateSandboxEnvironment(process.env);
  const config = env.toConfigPatches().reduce(mergeSandboxConfig, defaultSandboxConfig());
  const server = new SandboxServer(config);
  const url = await server.listen(env.SANDBOX_PORT, env.SANDBOX_HOST);
  if (env.SANDBOX_LOG === 'info') {
    process.stdout.write(
      `WhatsApp sandbox on ${url} (Cloud API: WHATSAPP_GRAPH_URL=${url}; On-Premises: baseUrl ${url}/onprem/<phone-number-id>)\n` +
        `  webhooks → ${config.webhook.url ?? 'off'}; cap ${config.defaultMps} msg/s per number; control: ${url}/_sandbox/{ledger,stats,config,reset}\n`,
    );
  }
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
