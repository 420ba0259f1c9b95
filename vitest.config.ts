import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/summary-reporter.ts"],
    // Contract tests start real HTTP servers and MCP clients; two cores, so keep parallelism modest.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 20_000,
    // Tool-call log lines are for operators; tests only want warnings and errors.
    env: { ROOMS_MCP_LOG_LEVEL: "warn" },
  },
});
