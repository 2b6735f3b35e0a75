// CORS_ORIGINS: exact origins or `*` alone; anything that could make the driver reflect an arbitrary Origin with
// credentials (a pattern, a path, `*` among origins) is a configuration error at start.
import { ConfigError, loadConfig } from '../../src/config';

const origins = (value?: string) => loadConfig(value === undefined ? {} : { CORS_ORIGINS: value }).http.corsOrigins;

describe('CORS_ORIGINS', () => {
  it('allows no origin by default', () => {
    expect(origins()).toEqual([]);
    expect(origins('  ')).toEqual([]);
  });

  it('takes exact origins, comma separated', () => {
    expect(origins('https://temporal.example.com, http://localhost:8233')).toEqual([
      'https://temporal.example.com',
      'http://localhost:8233',
    ]);
  });

  it('takes `*` alone (answered as `*`, never with credentials)', () => {
    expect(origins('*')).toEqual(['*']);
  });

  it.each([
    '*, https://temporal.example.com',
    'https://temporal.example.com/ui',
    'https://temporal.example.com/',
    'https://*.example.com',
    '/.*/',
    'temporal.example.com',
    'ftp://temporal.example.com',
    'https://temporal.example.com:443',
  ])('refuses %s', (value) => {
    expect(() => origins(value)).toThrow(ConfigError);
    expect(() => origins(value)).toThrow(/CORS_ORIGINS/);
  });
});
