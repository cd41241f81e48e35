import { Logger } from '@nestjs/common';
import { redactUrl } from '@clp/messaging';
import { configFromEnv } from './config';
import { createEnvironmentService, listenUntilAnswering } from './environment-service';

const main = async () => {
  const config = configFromEnv();
  const app = await createEnvironmentService(config);
  await listenUntilAnswering(app);
  new Logger('environment').log(`${config.instanceName} listening on ${redactUrl(config.natsUrl)}`);
};

main().catch((error: Error) => {
  console.error(`environment failed to start: ${error.message}`);
  process.exit(1);
});
