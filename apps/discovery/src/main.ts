import { Logger } from '@nestjs/common';
import { redactUrl } from '@clp/messaging';
import { configFromEnv } from './config';
import { createDiscovery } from './discovery';

const main = async () => {
  const config = configFromEnv();
  const app = await createDiscovery(config);
  await app.listen();
  new Logger('discovery').log(`${config.instanceName} listening on ${redactUrl(config.natsUrl)}`);
};

main().catch((error: Error) => {
  console.error(`discovery failed to start: ${error.message}`);
  process.exit(1);
});
