/**
 * Prints one closing line, `vitest: N passed, N failed, N skipped`, after vitest's own report: a plain,
 * runner-independent summary that CI logs and scripts can read.
 */
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const { state } = test.result();
        if (state === "passed") {
          counts.passed += 1;
        } else if (state === "failed") {
          counts.failed += 1;
        } else {
          counts.skipped += 1;
        }
      }
      // A file that failed to load has no tests to count; count it as a failure so it cannot pass quietly.
      if (module.state() === "failed" && [...module.children.allTests()].length === 0) {
        counts.failed += 1;
      }
    }
    process.stdout.write(
      `\nvitest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
    );
  }
}
