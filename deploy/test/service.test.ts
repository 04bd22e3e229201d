import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Stack } from 'aws-cdk-lib';
import { render, synth, Synthesized } from './synth';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function container(s: Synthesized, stack: Stack): Json {
  const [task] = Object.values(s.template(stack).findResources('AWS::ECS::TaskDefinition')) as Json[];
  assert.equal(task.Properties.ContainerDefinitions.length, 1);
  return task.Properties.ContainerDefinitions[0];
}

function environment(s: Synthesized, stack: Stack): Record<string, string> {
  return Object.fromEntries(container(s, stack).Environment
    .map((e: Json) => [e.Name, render(e.Value, stack.stackName, s.templates)]));
}

function secrets(s: Synthesized, stack: Stack): Record<string, string> {
  return Object.fromEntries(container(s, stack).Secrets
    .map((e: Json) => [e.Name, render(e.ValueFrom, stack.stackName, s.templates)]));
}

/** ECS takes a secret by its ARN without the random suffix; only the one the base stack creates has its full ARN. */
const secret = (name: string) => `arn:aws:secretsmanager:REGION:ACCOUNT:secret:${name}`;
const API_TOKEN = secret('sluice/api-token-??????');

describe('the Fargate services', () => {
  const s = synth();
  const { logins, playtime, tracking, lake } = s.pipelines as Record<string, Stack>;

  it('each runs its one pipeline from the image, API on 8080, 40 s to stop, the image\'s health check', () => {
    for (const [pipeline, stack] of Object.entries(s.pipelines) as [string, Stack][]) {
      const c = container(s, stack);
      assert.equal(render(c.Image, stack.stackName, s.templates),
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com/sluice:0.1.0');
      assert.deepEqual(c.Command, ['run', '--host', '0.0.0.0', pipeline]);
      assert.deepEqual(c.PortMappings, [{ ContainerPort: 8080, Protocol: 'tcp' }]);
      assert.equal(c.StopTimeout, 40);
      assert.equal(c.HealthCheck.Command[0], 'CMD');
      assert.match(c.HealthCheck.Command[3], /\/dev\/tcp\/127\.0\.0\.1\/8080.*GET \/health /);
      assert.equal(c.LogConfiguration.LogDriver, 'awslogs');
      s.template(stack).hasResourceProperties('AWS::Logs::LogGroup',
        { LogGroupName: `/ecs/sluice/${pipeline}`, RetentionInDays: 30 });
      s.template(stack).hasResourceProperties('AWS::ECS::TaskDefinition', { Family: `sluice-${pipeline}`,
        Cpu: '512', Memory: '1024', RequiresCompatibilities: ['FARGATE'], NetworkMode: 'awsvpc' });
    }
  });

  it('settings in the environment, secrets from Secrets Manager, never a secret in plain env', () => {
    assert.deepEqual(environment(s, logins), { AWS_REGION: 'REGION', SLUICE_LOGINS_QUEUE: 'login-queue',
      SLUICE_POSTGRES_URL: '${PostgresUrl}' });
    assert.deepEqual(secrets(s, logins), { SLUICE_POSTGRES_PASSWORD: secret('sluice/postgres-password'),
      SLUICE_KEYSET: secret('sluice/keyset'), SLUICE_API_TOKEN: API_TOKEN });
    assert.deepEqual(environment(s, playtime), { AWS_REGION: 'REGION', SLUICE_PLAYTIME_QUEUE: 'playtime-notifications',
      SLUICE_REDIS_URL: '${RedisUrl}', SLUICE_POSTGRES_URL: 'jdbc:postgresql://unused-by-playtime/none' });
    assert.deepEqual(secrets(s, playtime), { SLUICE_API_TOKEN: API_TOKEN });
    assert.deepEqual(environment(s, tracking), { AWS_REGION: 'REGION', SLUICE_TRACKING_QUEUE: 'tracking-events',
      SLUICE_TRACKING_BUCKET: 'tracking', SLUICE_POSTGRES_URL: '${PostgresUrl}' });
    assert.deepEqual(secrets(s, tracking), { SLUICE_POSTGRES_PASSWORD: secret('sluice/postgres-password'),
      SLUICE_API_TOKEN: API_TOKEN });
    assert.deepEqual(environment(s, lake), { AWS_REGION: 'REGION', SLUICE_LAKE_BUCKET: 'lake',
      SLUICE_LAKE_STREAM: 'product-events', SLUICE_POSTGRES_URL: '${PostgresUrl}' });
    const own = synth({ lakeBucket: 'acme-lake', lakeStream: 'acme-events', pipelines: 'lake' });
    assert.deepEqual(environment(own, own.pipelines.lake!), { AWS_REGION: 'REGION', SLUICE_LAKE_BUCKET: 'acme-lake',
      SLUICE_LAKE_STREAM: 'acme-events', SLUICE_POSTGRES_URL: '${PostgresUrl}' });
    assert.deepEqual(secrets(s, lake), { SLUICE_POSTGRES_PASSWORD: secret('sluice/postgres-password'),
      SLUICE_API_TOKEN: API_TOKEN });
  });

  it('a Redis password secret when context names one', () => {
    const withRedis = synth({ redisPasswordSecret: 'sluice/redis-password', pipelines: 'playtime' });
    assert.equal(secrets(withRedis, withRedis.pipelines.playtime!).SLUICE_REDIS_PASSWORD,
      secret('sluice/redis-password'));
  });

  it('the user\'s Postgres and Redis URLs are stack parameters, required at deploy', () => {
    for (const stack of [logins, tracking, lake]) {
      s.template(stack).hasParameter('PostgresUrl', { Type: 'String', AllowedPattern: '^jdbc:postgresql://\\S+$' });
    }
    s.template(playtime).hasParameter('RedisUrl', { Type: 'String', AllowedPattern: '^rediss?://\\S+$' });
    for (const stack of Object.values(s.pipelines) as Stack[]) {
      const parameters = Object.entries(s.template(stack).toJSON().Parameters ?? {}) as [string, Json][];
      for (const [name, parameter] of parameters.filter(([name]) => name !== 'BootstrapVersion')) {
        assert.equal(parameter.Default, undefined, `${stack.stackName} ${name}`);
      }
    }
  });

  it('competing consumers roll over with overlap; the lake runs one task, stopped before its successor starts', () => {
    for (const stack of [logins, playtime, tracking]) {
      s.template(stack).hasResourceProperties('AWS::ECS::Service', {
        DesiredCount: 1, LaunchType: 'FARGATE',
        DeploymentConfiguration: { MinimumHealthyPercent: 100, MaximumPercent: 200,
          DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
      });
    }
    s.template(lake).hasResourceProperties('AWS::ECS::Service', { DesiredCount: 1,
      DeploymentConfiguration: { MinimumHealthyPercent: 0, MaximumPercent: 100 } });
    const scaled = synth({ desiredCount: 3 });
    scaled.template(scaled.pipelines.logins!).hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
    scaled.template(scaled.pipelines.lake!).hasResourceProperties('AWS::ECS::Service', { DesiredCount: 1 });
  });

  it('an image by digest, or from another registry, as given', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const pinned = synth({ image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/sluice@${digest}`, pipelines: 'logins' });
    assert.equal(render(container(pinned, pinned.pipelines.logins!).Image, 'SluiceLogins', pinned.templates),
      `123456789012.dkr.ecr.eu-west-1.amazonaws.com/sluice@${digest}`);
    const hub = synth({ image: 'ghcr.io/acme/sluice:0.1.0', pipelines: 'logins' });
    assert.equal(container(hub, hub.pipelines.logins!).Image, 'ghcr.io/acme/sluice:0.1.0');
  });

  it('the base stack: a VPC with private subnets behind one NAT gateway, the cluster, a generated API token', () => {
    const base = s.template(s.base);
    base.resourceCountIs('AWS::EC2::NatGateway', 1);
    base.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'sluice' });
    base.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'sluice/api-token',
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true } });
  });

  it('an existing VPC and API token by context: nothing created for them, the services in the given subnets', () => {
    const existing = synth({ vpcId: 'vpc-0123456789abcdef0', availabilityZones: 'eu-west-1a,eu-west-1b',
      privateSubnetIds: 'subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb', apiTokenSecret: 'prod/sluice-api-token',
      pipelines: 'logins' });
    const base = existing.template(existing.base);
    base.resourceCountIs('AWS::EC2::VPC', 0);
    base.resourceCountIs('AWS::SecretsManager::Secret', 0);
    existing.template(existing.pipelines.logins!).hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: {
        Subnets: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'] } } });
    assert.equal(secrets(existing, existing.pipelines.logins!).SLUICE_API_TOKEN, secret('prod/sluice-api-token'));
  });
});
