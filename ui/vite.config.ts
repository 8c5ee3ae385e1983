/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// Tauri serves ui/dist (frontendDist in src-tauri/tauri.conf.json); `vite dev` serves :5173 (devUrl).
export default defineConfig({
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "safari16", outDir: "dist", emptyOutDir: true },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
  },
});
