import { configFromEnv } from './config';
import { createRegistry } from './registry';

const main = async () => {
  const app = await createRegistry(configFromEnv());
  await app.listen();
};

main().catch((error: Error) => {
  console.error(`connection-registry failed to start: ${error.message}`);
  process.exit(1);
});
