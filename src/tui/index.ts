// Public surface of the TUI for the CLI command and tests.
export { runTui, mountTui, type RunTuiOptions, type MountOptions, type MountedTui } from './run.js';
export { App, type AppProps } from './App.js';
