// Telemetry builders and scripted scenarios shared by the simulator, the specs, the integration
// tests and the benchmarks — one definition of what a test record looks like.
export * from './telemetry-builders';
export * from './scenarios';
