import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the API runs apart (`cargo run`, or MARQUEE_API for another address);
// Vite forwards GraphQL over HTTP and WebSocket to it, so the app always talks to its own origin.
const api = process.env.MARQUEE_API ?? 'http://127.0.0.1:8080';
const proxy = {
  '/graphql/ws': { target: api, ws: true, changeOrigin: true },
  '/graphql': { target: api, changeOrigin: true },
};

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
  // The manifest tells scripts/precache-list.mjs which chunks buyers' pages use.
  build: { target: 'es2022', sourcemap: false, manifest: true },
});
