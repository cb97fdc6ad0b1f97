// Integration tests talk to real servers: generous per-test time, never a timed assertion.
jest.setTimeout(180_000);
