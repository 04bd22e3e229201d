#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app';
import { SettingsError } from '../lib/settings';

const app = new App();
try {
  buildApp(app);
  app.synth();
} catch (e) {
  if (!(e instanceof SettingsError)) {
    throw e;
  }
  console.error(`sluice deploy: ${e.message}`);
  process.exitCode = 1;
}
