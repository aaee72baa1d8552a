// Integration tests start real processes; their budget is minutes, not Jest's default 5 s.
// (`testTimeout` is a global Jest option and is ignored inside a `projects` entry.)
jest.setTimeout(120_000);
