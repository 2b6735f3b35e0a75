// jest setupFiles: the Temporal runtime logs every worker state change and expected activity failure at INFO/WARN;
// in tests only errors are worth the noise. Runs before any worker exists in the test file.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('ERROR') });
