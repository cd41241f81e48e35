import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// `npm run build:web` → apps/web/dist, served by the gateway at `/`; `npm run dev:web` proxies the
// API (and its event stream) to a running gateway, GATEWAY_URL or http://localhost:8080.
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: { alias: { '@clp/contracts': here('../../libs/contracts/src/index.ts') } },
  build: { outDir: here('dist'), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': { target: process.env.GATEWAY_URL ?? 'http://localhost:8080', changeOrigin: true } } },
});
