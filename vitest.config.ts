import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Type tests live in test-d/ and run under tsd; vitest's own type checking stays off and
    // would not pick them up.
    typecheck: { enabled: false, include: ["test/**/*.test-d.ts"] },
    testTimeout: 60_000,
  },
});
