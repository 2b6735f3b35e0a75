// `npm run tools`: find or build the real servers and print where they are.
import { ensureBinaries } from '../src/local/binaries';
import { ensureKustomize } from './kustomize';
import { ensureNode24 } from './node24';
import { ensurePostgres } from './postgres';
import { ensureSlapd } from './slapd';
import { ensureTemporalServer } from './temporal-server';
import { ensureTemporalUi } from './temporal-ui';

ensureBinaries()
  .then(async (binaries) => {
    console.log(`temporal=${binaries.temporal}`);
    console.log(`kube-apiserver=${binaries.kubeApiserver}`);
    console.log(`etcd=${binaries.etcd}`);
    // Only the LDAP authentication tests need it.
    console.log(`slapd=${ensureSlapd().slapd}`);
    // Only the deploy/ tests need it (they render the manifests).
    console.log(`kustomize=${await ensureKustomize()}`);
    // The production runtime, for the compiled-driver test and `npm run test:node24`.
    console.log(`node24=${ensureNode24()}`);
    // The production engine: `npm run cluster`, the cluster tier and the PostgreSQL test.
    const server = await ensureTemporalServer();
    console.log(`temporal-server=${server.server}`);
    console.log(`temporal-sql-tool=${server.sqlTool}`);
    console.log(`postgres=${ensurePostgres().postgres}`);
    console.log(`temporal-ui-server=${await ensureTemporalUi()}`);
  })
  .catch((error: Error) => {
    console.error(`[tools] ${error.message}`);
    process.exit(1);
  });
