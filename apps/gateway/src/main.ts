import { configFromEnv } from './config';
import { createGateway } from './gateway';

const main = async () => {
  const config = configFromEnv();
  const app = await createGateway(config);
  await app.listen({ port: config.port, host: config.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // A plain line, not the colored logger's: launchers and tests wait for it and read the URL from it.
  console.log(`gateway listening on http://${config.host}:${port}`);
};

main().catch((error: Error) => {
  console.error(`gateway failed to start: ${error.message}`);
  process.exit(1);
});
