import { Logger } from '@nestjs/common';
import { redactUrl } from '@clp/messaging';
import { configFromEnv } from './config';
import { createNotificationService, listenUntilAnswering } from './notification-service';

const main = async () => {
  const config = configFromEnv();
  const app = await createNotificationService(config);
  await listenUntilAnswering(app);
  new Logger('notification').log(`${config.instanceName} listening on ${redactUrl(config.natsUrl)}`);
};

main().catch((error: Error) => {
  console.error(`notification failed to start: ${error.message}`);
  process.exit(1);
});
