// `npm run tools`: find or build the real servers and print where they are.
import { ensureBinaries } from '../src/local/binaries';
import { ensureSlapd } from './slapd';

ensureBinaries()
  .then((binaries) => {
    console.log(`temporal=${binaries.temporal}`);
    console.log(`kube-apiserver=${binaries.kubeApiserver}`);
    console.log(`etcd=${binaries.etcd}`);
    // Only the LDAP authentication tests need it.
    console.log(`slapd=${ensureSlapd().slapd}`);
  })
  .catch((error: Error) => {
    console.error(`[tools] ${error.message}`);
    process.exit(1);
  });
