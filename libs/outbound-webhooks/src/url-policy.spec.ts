import { endpointUrlProblem, isPrivateAddress } from './url-policy';

describe('outbound webhook URL policy', () => {
  const production = { production: true, allowPrivate: false };
  const development = { production: false, allowPrivate: false };

  it('tells private, loopback and link-local addresses from public ones', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:127.0.0.1'])
      expect(isPrivateAddress(a)).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '2001:4860:4860::8888']) expect(isPrivateAddress(a)).toBe(false);
  });

  it('refuses loopback, private hosts and plain http in production only', () => {
    expect(endpointUrlProblem('https://127.0.0.1/hook', production)).toMatch(/private or loopback/);
    expect(endpointUrlProblem('https://localhost:8443/hook', production)).toMatch(/private or loopback/);
    expect(endpointUrlProblem('https://[::1]/hook', production)).toMatch(/private or loopback/);
    expect(endpointUrlProblem('http://crm.example.com/hook', production)).toMatch(/https/);
    expect(endpointUrlProblem('https://crm.example.com/hook', production)).toBeNull();
    expect(endpointUrlProblem('http://127.0.0.1:8080/hook', development)).toBeNull();
    expect(endpointUrlProblem('https://10.0.0.5/hook', { production: true, allowPrivate: true })).toBeNull();
  });

  it('refuses what is not an http(s) URL anywhere', () => {
    expect(endpointUrlProblem('ftp://example.com/x', development)).toMatch(/http/);
    expect(endpointUrlProblem('not a url', development)).toMatch(/absolute/);
  });
});
