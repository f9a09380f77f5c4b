import solid from "vite-plugin-solid";
import { defineConfig } from "vitest/config";

/**
 * One config: the admin app is built from admin/ into dist/admin (served by the Hono server under
 * /admin), and vitest runs two projects — the server and integration tests in Node, and the
 * admin's component tests in jsdom with Solid's JSX transform.
 */
export default defineConfig({
  root: "admin",
  base: "/admin/",
  plugins: [solid()],
  build: { outDir: "../dist/admin", emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: { proxy: { "/api": "http://localhost:8080" } },
  test: {
    root: ".",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        test: {
          name: "node",
          root: ".",
          include: ["server/**/*.test.ts", "shared/**/*.test.ts", "test/**/*.test.ts"],
          environment: "node",
          // the PostgreSQL pass: checks the server first, names the run's databases, drops its leftovers at the end
          globalSetup: ["test/helpers/postgres-run.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [solid()],
        test: {
          name: "admin",
          root: ".",
          include: ["admin/**/*.test.tsx"],
          environment: "jsdom",
          setupFiles: ["admin/test/jsdom-setup.ts"],
          testTimeout: 30_000,
        },
        resolve: { conditions: ["development", "browser"] },
      },
    ],
  },
});
