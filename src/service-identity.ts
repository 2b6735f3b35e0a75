// Builds the worker's service identity from its configuration (the API role makes no outbound calls).
import { ldapCredentialsFile } from '../activities/identity/ldap-credentials-file';
import { oidcClientCredentials } from '../activities/identity/oidc-client-credentials';
import { staticIdentity, type ServiceIdentity } from '../activities/outbound-http';
import type { ServiceIdentityConfig } from './config';
import { readSecretFile } from './config/service-identity';

export function createServiceIdentity(config: ServiceIdentityConfig, requestTimeoutMs: number): ServiceIdentity {
  switch (config.type) {
    case 'none':
      return staticIdentity(null);
    case 'static':
      return staticIdentity(config.authorization);
    case 'ldap':
      return ldapCredentialsFile(config.credentialsFile);
    case 'oidc': {
      const { secret } = config;
      return oidcClientCredentials({
        tokenUrl: config.tokenUrl,
        issuer: config.issuer,
        clientId: config.clientId,
        clientSecret: () => ('file' in secret ? readSecretFile('OIDC_CLIENT_SECRET_FILE', secret.file) : secret.value),
        requestTimeoutMs,
      });
    }
  }
}
