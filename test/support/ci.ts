// Whether the tests run in CI: `.ci/run` sets CI (and the CI machine does too). There a test that needs a real
// client (Chromium, LibreOffice) fails when the client is missing, where a developer's run skips it and says why:
// a green CI run must have driven the real client.
export const inCi = Boolean(process.env.CI) && process.env.CI !== "false" && process.env.CI !== "0";
