import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Stack } from 'aws-cdk-lib';
import { RenderedStatement, roleId, roleStatements, synth, Synthesized } from './synth';

const CONSUME = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl',
  'sqs:ReceiveMessage'];
const SECRET_READ = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
const secret = (name: string) => `arn:aws:secretsmanager:REGION:ACCOUNT:secret:${name}-??????`;

type Expected = Omit<RenderedStatement, 'role' | 'effect'>;

function statementsOf(s: Synthesized, stack: Stack, role: string): Expected[] {
  const id = roleId(s, stack, role);
  return roleStatements(s, stack).filter((st) => st.role === id).map((st) => {
    assert.equal(st.effect, 'Allow');
    return { sid: st.sid, actions: st.actions, resources: st.resources };
  });
}

/** The execution role pulls the image from its repository, writes the pipeline's log group, reads its secrets. */
function executionStatements(pipeline: string, secrets: string[]): Expected[] {
  return [
    { sid: undefined, actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      resources: ['arn:aws:ecr:eu-west-1:123456789012:repository/sluice'] },
    { sid: undefined, actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
    { sid: undefined, actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [`arn:aws:logs:REGION:ACCOUNT:log-group:/ecs/sluice/${pipeline}:*`] },
    ...secrets.map((name) => ({ sid: undefined, actions: SECRET_READ, resources: [secret(name)] })),
  ];
}

describe('IAM: every statement of every role', () => {
  const s = synth();
  const { logins, playtime, tracking, lake } = s.pipelines as Record<string, Stack>;

  it('logins: the five consume actions on its queue, nothing else', () => {
    assert.deepEqual(statementsOf(s, logins, 'TaskRole'), [
      { sid: 'ConsumeLoginQueue', actions: CONSUME, resources: ['arn:aws:sqs:REGION:ACCOUNT:login-queue'] },
    ]);
    assert.deepEqual(statementsOf(s, logins, 'TaskExecutionRole'),
      executionStatements('logins', ['sluice/postgres-password', 'sluice/keyset', 'sluice/api-token']));
  });

  it('playtime: its notification queue, GetObject on the datasets, ListBucket on their bucket', () => {
    assert.deepEqual(statementsOf(s, playtime, 'TaskRole'), [
      { sid: 'ConsumePlaytimeNotifications', actions: CONSUME,
        resources: ['arn:aws:sqs:REGION:ACCOUNT:playtime-notifications'] },
      { sid: 'ReadPlaytimeDatasets', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::playtime-datasets/*'] },
      { sid: 'ListPlaytimeDatasets', actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::playtime-datasets'] },
    ]);
    assert.deepEqual(statementsOf(s, playtime, 'TaskExecutionRole'),
      executionStatements('playtime', ['sluice/api-token']));
  });

  it('tracking: its queue, Put and Get under the raw files\' and the charts\' prefixes only, ListBucket', () => {
    const files = ['arn:aws:s3:::tracking/tracking-raw/*', 'arn:aws:s3:::tracking/tracking-reports/*'];
    assert.deepEqual(statementsOf(s, tracking, 'TaskRole'), [
      { sid: 'ConsumeTrackingEvents', actions: CONSUME, resources: ['arn:aws:sqs:REGION:ACCOUNT:tracking-events'] },
      { sid: 'WriteTrackingFiles', actions: ['s3:PutObject'], resources: files },
      { sid: 'ReadTrackingFiles', actions: ['s3:GetObject'], resources: files },
      { sid: 'ListTrackingFiles', actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::tracking'] },
    ]);
    assert.deepEqual(statementsOf(s, tracking, 'TaskExecutionRole'),
      executionStatements('tracking', ['sluice/postgres-password', 'sluice/api-token']));
  });

  it('lake: the four read actions on its stream, Put/Get/Delete under its prefix, ListBucket', () => {
    assert.deepEqual(statementsOf(s, lake, 'TaskRole'), [
      { sid: 'ReadProductEvents', actions: ['kinesis:DescribeStreamSummary', 'kinesis:GetRecords',
        'kinesis:GetShardIterator', 'kinesis:ListShards'],
      resources: ['arn:aws:kinesis:REGION:ACCOUNT:stream/product-events'] },
      { sid: 'WriteLakeFiles', actions: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        resources: ['arn:aws:s3:::lake/events/*'] },
      { sid: 'ListLakeFiles', actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::lake'] },
    ]);
    assert.deepEqual(statementsOf(s, lake, 'TaskExecutionRole'),
      executionStatements('lake', ['sluice/postgres-password', 'sluice/api-token']));
  });

  it('lake from SQS: its queue instead of the stream', () => {
    const sqs = synth({ lakeSource: 'sqs', pipelines: 'lake' });
    const [read] = statementsOf(sqs, sqs.pipelines.lake!, 'TaskRole');
    assert.deepEqual(read, { sid: 'ConsumeLakeEvents', actions: CONSUME,
      resources: ['arn:aws:sqs:REGION:ACCOUNT:lake-events'] });
    assert.deepEqual(sqs.template(sqs.pipelines.lake!).findResources('AWS::Kinesis::Stream'), {});
  });

  it('names from context reach the statements', () => {
    const named = synth({ loginsQueue: 'prod-logins', playtimeBucket: 'acme-playtime', trackingBucket: 'acme-tracking',
      lakeBucket: 'acme-lake', lakeStream: 'acme-events', keysetSecret: 'prod/keyset',
      postgresPasswordSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/pg-AbCdEf' });
    const resources = (stack: Stack) => roleStatements(named, stack).flatMap((st) => st.resources);
    assert.ok(resources(named.pipelines.logins!).includes('arn:aws:sqs:REGION:ACCOUNT:prod-logins'));
    assert.ok(resources(named.pipelines.logins!).includes(secret('prod/keyset')));
    assert.ok(resources(named.pipelines.logins!)
      .includes('arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/pg-AbCdEf'));
    assert.ok(resources(named.pipelines.playtime!).includes('arn:aws:s3:::acme-playtime/*'));
    assert.ok(resources(named.pipelines.tracking!).includes('arn:aws:s3:::acme-tracking/tracking-raw/*'));
    assert.ok(resources(named.pipelines.lake!).includes('arn:aws:kinesis:REGION:ACCOUNT:stream/acme-events'));
  });

  it('a "*" resource only for ecr:GetAuthorizationToken, which has no other; no wildcard action', () => {
    for (const stack of [s.base, ...Object.values(s.pipelines)]) {
      for (const st of roleStatements(s, stack)) {
        if (st.resources.includes('*')) {
          assert.deepEqual(st.actions, ['ecr:GetAuthorizationToken'], `${stack.stackName} ${st.sid}`);
        }
        assert.ok(st.actions.every((a) => !a.includes('*')), `${stack.stackName}: ${st.actions}`);
        assert.ok(st.resources.every((r) => !r.startsWith('?')), `${stack.stackName}: ${st.resources}`);
      }
    }
  });

  it('an image from another registry needs no ECR permission at all', () => {
    const hub = synth({ image: 'ghcr.io/acme/sluice:0.1.0', pipelines: 'logins' });
    const actions = roleStatements(hub, hub.pipelines.logins!).flatMap((st) => st.actions);
    assert.ok(actions.every((a) => !a.startsWith('ecr:')), actions.join(', '));
  });

  it('two roles per pipeline, no managed policy, assumed only by ECS tasks of this account', () => {
    assert.deepEqual(s.template(s.base).findResources('AWS::IAM::Role'), {});
    for (const stack of Object.values(s.pipelines)) {
      const roles = Object.values(s.template(stack).findResources('AWS::IAM::Role')) as any[]; // eslint-disable-line
      assert.equal(roles.length, 2, stack.stackName);
      for (const role of roles) {
        assert.equal(role.Properties.ManagedPolicyArns, undefined);
        assert.equal(role.Properties.Policies, undefined);
        const [trust] = role.Properties.AssumeRolePolicyDocument.Statement;
        assert.deepEqual(trust.Principal, { Service: 'ecs-tasks.amazonaws.com' });
      }
      const task = roles.find((r) => r.Properties.Description?.includes('what the pipeline calls'));
      assert.deepEqual(Object.keys(task.Properties.AssumeRolePolicyDocument.Statement[0].Condition).sort(),
        ['ArnLike', 'StringEquals']);
    }
  });
});
