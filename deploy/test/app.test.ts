import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app';
import { readSettings, SettingsError } from '../lib/settings';
import { IMAGE, synth } from './synth';

const settingsOf = (context: Record<string, unknown>) => readSettings((key) => context[key]);

describe('the app', () => {
  it('synthesizes the base stack and the four pipelines\' stacks, environment-agnostic, with no lookup', () => {
    const s = synth();
    assert.deepEqual(Object.keys(s.templates), ['SluiceBase', 'SluiceLogins', 'SluicePlaytime', 'SluiceTracking',
      'SluiceLake']);
    for (const stack of [s.base, ...Object.values(s.pipelines)]) {
      assert.equal(stack.environment, 'aws://unknown-account/unknown-region', stack.stackName);
    }
    const assembly = s.app.synth();
    assert.equal(assembly.manifest.missing, undefined); // context a lookup would have to fetch
  });

  it('only the pipelines context names', () => {
    const s = synth({ pipelines: 'playtime,logins' });
    assert.deepEqual(Object.keys(s.templates), ['SluiceBase', 'SluiceLogins', 'SluicePlaytime']);
  });

  it('the names of the embedded stack by default', () => {
    const settings = settingsOf({ image: IMAGE });
    assert.deepEqual([settings.loginsQueue, settings.playtimeQueue, settings.playtimeBucket, settings.trackingQueue,
      settings.trackingBucket, settings.lakeStream, settings.lakeQueue, settings.lakeBucket, settings.lakePrefix,
      settings.maxReceiveCount, settings.lakeShards],
    ['login-queue', 'playtime-notifications', 'playtime-datasets', 'tracking-events', 'tracking', 'product-events',
      'lake-events', 'lake', 'events/', 5, 2]);
  });

  it('a wrong context value is refused with its key, its value and the rule', () => {
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{}, /^context image=undefined: required: the slim image to run/],
      [{ image: IMAGE, pipelines: 'logins,orders' }, /^context pipelines="logins,orders": each one of logins, /],
      [{ image: IMAGE, loginsQueue: 'bad queue' }, /^context loginsQueue="bad queue": 1 to 76 letters/],
      [{ image: IMAGE, trackingBucket: 'Tracking' }, /^context trackingBucket="Tracking": an S3 bucket name/],
      [{ image: IMAGE, lakePrefix: 'events' }, /^context lakePrefix="events": an S3 key prefix ending in \//],
      [{ image: IMAGE, maxReceiveCount: '0' }, /^context maxReceiveCount="0": a whole number from 1 to 1000/],
      [{ image: IMAGE, cpu: 300 }, /^context cpu=300: one of Fargate's sizes/],
      [{ image: IMAGE, cpu: 512, memoryMiB: 8192 }, /^context memoryMiB=8192: a whole number from 1024 to 4096/],
      [{ image: IMAGE, lakeSource: 'kafka' }, /^context lakeSource="kafka": kinesis or sqs/],
      [{ image: IMAGE, privateSubnetIds: 'subnet-0aaaaaaaaaaaaaaaa' }, /^context vpcId=undefined: required with/],
      [{ image: IMAGE, vpcId: 'vpc-0123456789abcdef0', availabilityZones: 'eu-west-1a',
        privateSubnetIds: 'subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb' }, /one private subnet per availability/],
      [{ image: IMAGE, alarmTopicArn: 'sluice-alarms' }, /^context alarmTopicArn="sluice-alarms": an SNS topic ARN/],
    ];
    for (const [context, message] of refusals) {
      assert.throws(() => settingsOf(context), (e: Error) => e instanceof SettingsError && message.test(e.message),
        JSON.stringify(context));
    }
    assert.throws(() => buildApp(new App({ context: { loginsQueue: 'x' } })), SettingsError);
  });

  it('a name the built-in configuration cannot take from the environment is a warning naming the key', () => {
    const s = synth({ lakePrefix: 'acme/', pipelines: 'lake,tracking' });
    Annotations.fromStack(s.pipelines.lake!).hasWarning('*', Match.stringLikeRegexp(
      '^lakePrefix=acme/: the built-in configuration of `sluice run` reads no variable for it and uses events/'));
    const ownBucket = synth({ lakeBucket: 'acme-lake', lakeStream: 'acme-events', pipelines: 'lake' });
    assert.deepEqual(Annotations.fromStack(ownBucket.pipelines.lake!).findWarning('*',
      Match.stringLikeRegexp('sluice run')), [], 'the lake\'s bucket and stream are read from SLUICE_LAKE_*');
    assert.deepEqual(Annotations.fromStack(s.pipelines.tracking!).findWarning('*', Match.stringLikeRegexp('sluice run')),
      []);
    const defaults = synth({ pipelines: 'lake' });
    assert.deepEqual(Annotations.fromStack(defaults.pipelines.lake!).findWarning('*', Match.stringLikeRegexp('sluice run')),
      []);
  });
});
