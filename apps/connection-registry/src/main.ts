import { Logger } from '@nestjs/common';
import { redactUrl } from '@clp/messaging';
import { configFromEnv } from './config';
import { createRegistry, listenUntilAnswering } from './registry';

const main = async () => {
  const config = configFromEnv();
  const app = await createRegistry(config);
  await listenUntilAnswering(app);
  new Logger('connection-registry').log(`${config.instanceName} listening on ${redactUrl(config.natsUrl)}`);
};

main().catch((error: Error) => {
  console.error(`connection-registry failed to start: ${error.message}`);
  process.exit(1);
});
