import { validateSandboxEnvironment } from './sandbox-environment';
import { defaultSandboxConfig, mergeSandboxConfig } from './sandbox-config';

describe('SandboxEnvironment', () => {
  it('has working defaults', () => {
    const env = validateSandboxEnvironment({});
    expect(env.SANDBOX_PORT).toBe(3999);
    const config = env.toConfigPatches().reduce(mergeSandboxConfig, defaultSandboxConfig());
    expect(config.webhook).toMatchObject({ url: 'http://127.0.0.1:3000/webhooks/whatsapp', appSecret: 'clarion-sandbox-app-secret' });
    expect(config.defaultMps).toBe(1000);
  });

  it('reads the variables and a JSON config patch', () => {
    const env = validateSandboxEnvironment({
      SANDBOX_PORT: '4100',
      SANDBOX_WEBHOOK_URL: 'off',
      SANDBOX_MPS: '80',
      SANDBOX_ACCESS_TOKENS: 'a, b',
      SANDBOX_CONFIG: '{"faults":{"latencyMs":20},"failNumbers":{"15550001111":131026}}',
    });
    const config = env.toConfigPatches().reduce(mergeSandboxConfig, defaultSandboxConfig());
    expect(env.SANDBOX_PORT).toBe(4100);
    expect(config).toMatchObject({ defaultMps: 80, accessTokens: ['a', 'b'], failNumbers: { '15550001111': 131026 } });
    expect(config.webhook.url).toBeNull();
    expect(config.faults).toMatchObject({ latencyMs: 20, serverErrorRate: 0 });
  });

  it('names the variable that is wrong', () => {
    expect(() => validateSandboxEnvironment({ SANDBOX_PORT: 'abc' })).toThrow(/SANDBOX_PORT/);
    expect(() => validateSandboxEnvironment({ SANDBOX_MPS: '0' })).toThrow(/SANDBOX_MPS/);
    expect(() => validateSandboxEnvironment({ SANDBOX_CONFIG: '[1]' }).toConfigPatches()).toThrow(/SANDBOX_CONFIG: must be a JSON object/);
  });
});
