import { Duration } from 'aws-cdk-lib';

/** The four pipelines `sluice run` knows, each deployed as a stack and an ECS service of its own. */
export const PIPELINES = ['logins', 'playtime', 'tracking', 'lake'] as const;
export type Pipeline = (typeof PIPELINES)[number];

/** Reads a context value by key; `cdk -c key=value` and cdk.json both end up here. */
export type ContextReader = (key: string) => unknown;

/** An existing VPC to run the services in (where the user's Postgres and Redis are reachable). */
export interface ExistingVpc {
  readonly vpcId: string;
  readonly availabilityZones: string[];
  readonly privateSubnetIds: string[];
}

/**
 * Everything the app takes from CDK context, validated, with the names the embedded stack and the built-in
 * configuration use as defaults (sluice-cli LocalStack and sluice-default.yaml), so a deployment and `sluice local`
 * agree unless told otherwise.
 */
export interface Settings {
  readonly pipelines: Pipeline[];
  readonly image: string;
  readonly maxReceiveCount: number;
  readonly loginsQueue: string;
  readonly playtimeQueue: string;
  readonly playtimeBucket: string;
  readonly trackingQueue: string;
  readonly trackingBucket: string;
  readonly trackingRawPrefix: string;
  readonly trackingReportsPrefix: string;
  readonly lakeSource: 'kinesis' | 'sqs';
  readonly lakeStream: string;
  readonly lakeShards: number;
  readonly lakeQueue: string;
  readonly lakeBucket: string;
  readonly lakePrefix: string;
  readonly iteratorAgeAlarm: Duration;
  readonly alarmTopicArn?: string;
  readonly postgresPasswordSecret: string;
  readonly keysetSecret: string;
  readonly redisPasswordSecret?: string;
  readonly apiTokenSecret?: string;
  readonly cpu: number;
  readonly memoryMiB: number;
  readonly desiredCount: number;
  readonly vpc?: ExistingVpc;
  readonly natGateways: number;
}

const QUEUE = /^[A-Za-z0-9_-]{1,76}$/; // 80 minus "-dlq"
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const STREAM = /^[A-Za-z0-9_.-]{1,128}$/;
const PREFIX = /^[A-Za-z0-9!_.*'()\/-]{1,512}\/$/;
const SECRET = /^([A-Za-z0-9\/_+=.@-]{1,512}|arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9\/_+=.@-]+)$/;
const IMAGE = /^[a-z0-9][a-z0-9.:\/_-]*(:[A-Za-z0-9_.-]{1,128}|@sha256:[a-f0-9]{64})?$/;
const TOPIC = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$/;
/** Fargate's valid cpu (units) → memory (MiB) combinations up to 4 vCPU. */
const FARGATE_MEMORY: Record<number, [number, number]> = { 256: [512, 2048], 512: [1024, 4096], 1024: [2048, 8192],
  2048: [4096, 16384], 4096: [8192, 30720] };

export class SettingsError extends Error {}

function fail(key: string, value: unknown, rule: string): never {
  throw new SettingsError(`context ${key}=${JSON.stringify(value)}: ${rule}`);
}

function text(read: ContextReader, key: string, fallback: string | undefined, rule: RegExp, ruleText: string): string {
  const value = read(key) ?? fallback;
  if (value === undefined) {
    fail(key, value, `required: ${ruleText}`);
  }
  if (typeof value !== 'string' || !rule.test(value)) {
    fail(key, value, ruleText);
  }
  return value;
}

function optional(read: ContextReader, key: string, rule: RegExp, ruleText: string): string | undefined {
  return read(key) === undefined ? undefined : text(read, key, undefined, rule, ruleText);
}

function integer(read: ContextReader, key: string, fallback: number, min: number, max: number): number {
  const raw = read(key) ?? fallback;
  const value = typeof raw === 'string' && /^[0-9]+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(key, raw, `a whole number from ${min} to ${max}`);
  }
  return value;
}

function list(read: ContextReader, key: string): string[] | undefined {
  const raw = read(key);
  if (raw === undefined) {
    return undefined;
  }
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : fail(key, raw, 'a list');
  const trimmed = items.map((item) => String(item).trim()).filter((item) => item.length > 0);
  return trimmed.length > 0 ? trimmed : fail(key, raw, 'a comma-separated list of at least one item');
}

function pipelines(read: ContextReader): Pipeline[] {
  const names = list(read, 'pipelines') ?? [...PIPELINES];
  for (const name of names) {
    if (!(PIPELINES as readonly string[]).includes(name)) {
      fail('pipelines', read('pipelines'), `each one of ${PIPELINES.join(', ')}`);
    }
  }
  return PIPELINES.filter((p) => names.includes(p));
}

function existingVpc(read: ContextReader): ExistingVpc | undefined {
  const vpcId = optional(read, 'vpcId', /^vpc-[0-9a-f]{8,17}$/, 'a VPC id (vpc-…)');
  const zones = list(read, 'availabilityZones');
  const subnets = list(read, 'privateSubnetIds');
  if (vpcId === undefined) {
    if (zones !== undefined || subnets !== undefined) {
      fail('vpcId', undefined, 'required with availabilityZones and privateSubnetIds');
    }
    return undefined;
  }
  if (zones === undefined || subnets === undefined || zones.length !== subnets.length) {
    fail('privateSubnetIds', read('privateSubnetIds'),
      'with vpcId: one private subnet per availability zone (availabilityZones), in the same order');
  }
  subnets.forEach((s) => /^subnet-[0-9a-f]{8,17}$/.test(s) || fail('privateSubnetIds', s, 'subnet ids (subnet-…)'));
  return { vpcId, availabilityZones: zones, privateSubnetIds: subnets };
}

/** The settings from context, or a {@link SettingsError} naming the first key that breaks its rule. */
export function readSettings(read: ContextReader): Settings {
  const lakeSource = read('lakeSource') ?? 'kinesis';
  if (lakeSource !== 'kinesis' && lakeSource !== 'sqs') {
    fail('lakeSource', lakeSource, 'kinesis or sqs');
  }
  const cpu = integer(read, 'cpu', 512, 256, 4096);
  if (!(cpu in FARGATE_MEMORY)) {
    fail('cpu', cpu, `one of Fargate's sizes: ${Object.keys(FARGATE_MEMORY).join(', ')}`);
  }
  const [minMemory, maxMemory] = FARGATE_MEMORY[cpu];
  const queueRule = '1 to 76 letters, digits, - or _ (the dead-letter queue adds -dlq)';
  const bucketRule = 'an S3 bucket name: 3 to 63 lower-case letters, digits, . or -';
  const prefixRule = 'an S3 key prefix ending in /';
  const secretRule = 'a Secrets Manager secret name or ARN';
  return {
    pipelines: pipelines(read),
    image: text(read, 'image', undefined, IMAGE,
      'the slim image to run, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/sluice:0.1.0'),
    maxReceiveCount: integer(read, 'maxReceiveCount', 5, 1, 1000),
    loginsQueue: text(read, 'loginsQueue', 'login-queue', QUEUE, queueRule),
    playtimeQueue: text(read, 'playtimeQueue', 'playtime-notifications', QUEUE, queueRule),
    playtimeBucket: text(read, 'playtimeBucket', 'playtime-datasets', BUCKET, bucketRule),
    trackingQueue: text(read, 'trackingQueue', 'tracking-events', QUEUE, queueRule),
    trackingBucket: text(read, 'trackingBucket', 'tracking', BUCKET, bucketRule),
    trackingRawPrefix: text(read, 'trackingRawPrefix', 'tracking-raw/', PREFIX, prefixRule),
    trackingReportsPrefix: text(read, 'trackingReportsPrefix', 'tracking-reports/', PREFIX, prefixRule),
    lakeSource,
    lakeStream: text(read, 'lakeStream', 'product-events', STREAM, '1 to 128 letters, digits, _, . or -'),
    lakeShards: integer(read, 'lakeShards', 2, 1, 500),
    lakeQueue: text(read, 'lakeQueue', 'lake-events', QUEUE, queueRule),
    lakeBucket: text(read, 'lakeBucket', 'lake', BUCKET, bucketRule),
    lakePrefix: text(read, 'lakePrefix', 'events/', PREFIX, prefixRule),
    iteratorAgeAlarm: Duration.seconds(integer(read, 'iteratorAgeAlarmSeconds', 300, 1, 7 * 24 * 3600)),
    alarmTopicArn: optional(read, 'alarmTopicArn', TOPIC, 'an SNS topic ARN'),
    postgresPasswordSecret: text(read, 'postgresPasswordSecret', 'sluice/postgres-password', SECRET, secretRule),
    keysetSecret: text(read, 'keysetSecret', 'sluice/keyset', SECRET, secretRule),
    redisPasswordSecret: optional(read, 'redisPasswordSecret', SECRET, secretRule),
    apiTokenSecret: optional(read, 'apiTokenSecret', SECRET, secretRule),
    cpu,
    memoryMiB: integer(read, 'memoryMiB', minMemory, minMemory, maxMemory),
    desiredCount: integer(read, 'desiredCount', 1, 0, 100),
    vpc: existingVpc(read),
    natGateways: integer(read, 'natGateways', 1, 1, 3),
  };
}
