import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { synth } from './synth';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function queuesByName(template: Json): Record<string, { id: string; props: Json }> {
  return Object.fromEntries(Object.entries(template.findResources('AWS::SQS::Queue'))
    .map(([id, q]: [string, Json]) => [q.Properties.QueueName, { id, props: q.Properties }]));
}

describe('queues, dead-letter queues and redrive', () => {
  const s = synth();
  const expected: Record<string, string> = { logins: 'login-queue', playtime: 'playtime-notifications',
    tracking: 'tracking-events' };

  for (const [pipeline, name] of Object.entries(expected)) {
    it(`${pipeline}: ${name} sends a message to ${name}-dlq after 5 receives`, () => {
      const queues = queuesByName(s.template(s.pipelines[pipeline as 'logins']!));
      assert.deepEqual(Object.keys(queues).sort(), [name, `${name}-dlq`]);
      assert.deepEqual(queues[name].props.RedrivePolicy, {
        deadLetterTargetArn: { 'Fn::GetAtt': [queues[`${name}-dlq`].id, 'Arn'] },
        maxReceiveCount: 5,
      });
      assert.equal(queues[name].props.SqsManagedSseEnabled, true);
      assert.equal(queues[`${name}-dlq`].props.RedrivePolicy, undefined);
      assert.equal(queues[`${name}-dlq`].props.MessageRetentionPeriod, 14 * 24 * 3600);
    });
  }

  it('lake from SQS: lake-events and its dead-letter queue; from Kinesis: no queue', () => {
    assert.deepEqual(queuesByName(s.template(s.pipelines.lake!)), {});
    const sqs = synth({ lakeSource: 'sqs', pipelines: 'lake' });
    const queues = queuesByName(sqs.template(sqs.pipelines.lake!));
    assert.deepEqual(Object.keys(queues).sort(), ['lake-events', 'lake-events-dlq']);
    assert.equal(queues['lake-events'].props.RedrivePolicy.maxReceiveCount, 5);
  });

  it('maxReceiveCount and the queue names come from context', () => {
    const other = synth({ maxReceiveCount: '3', trackingQueue: 'prod-tracking', pipelines: 'tracking' });
    const queues = queuesByName(other.template(other.pipelines.tracking!));
    assert.equal(queues['prod-tracking'].props.RedrivePolicy.maxReceiveCount, 3);
    assert.ok(queues['prod-tracking-dlq']);
  });

  it('every queue of every stack is either a dead-letter queue or has a redrive policy to one', () => {
    for (const stack of Object.values(s.pipelines)) {
      for (const [name, queue] of Object.entries(queuesByName(s.template(stack)))) {
        assert.ok(name.endsWith('-dlq') || queue.props.RedrivePolicy !== undefined, `${stack.stackName} ${name}`);
      }
    }
  });
});

describe('buckets, notifications and the stream', () => {
  const s = synth();
  const playtime = s.template(s.pipelines.playtime!);

  it('each pipeline\'s bucket by its configured name, private, encrypted, TLS only, kept on stack deletion', () => {
    const names: Record<string, string> = { playtime: 'playtime-datasets', tracking: 'tracking', lake: 'lake' };
    for (const [pipeline, name] of Object.entries(names)) {
      const template = s.template(s.pipelines[pipeline as 'lake']!);
      template.resourceCountIs('AWS::S3::Bucket', 1);
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          BucketName: name,
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true,
            RestrictPublicBuckets: true },
          BucketEncryption: { ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        }),
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', { PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
    }
    s.template(s.pipelines.logins!).resourceCountIs('AWS::S3::Bucket', 0);
  });

  it('playtime: every .parquet object created in the dataset bucket is announced on its queue', () => {
    const queueId = Object.entries(playtime.findResources('AWS::SQS::Queue'))
      .find(([, q]: [string, Json]) => q.Properties.QueueName === 'playtime-notifications')![0];
    const [bucket] = Object.values(playtime.findResources('AWS::S3::Bucket')) as Json[];
    assert.deepEqual(bucket.Properties.NotificationConfiguration, { QueueConfigurations: [{
      Event: 's3:ObjectCreated:*',
      Queue: { 'Fn::GetAtt': [queueId, 'Arn'] },
      Filter: { S3Key: { Rules: [{ Name: 'suffix', Value: '.parquet' }] } },
    }] });
    // S3 checks the queue policy when the configuration is put: the bucket must come after it
    const [policyId] = Object.keys(playtime.findResources('AWS::SQS::QueuePolicy', {
      Properties: { Queues: [{ Ref: queueId }] } }));
    assert.ok(bucket.DependsOn.includes(policyId), JSON.stringify(bucket.DependsOn));
  });

  it('playtime: the queue lets S3 send only for the dataset bucket of this account', () => {
    playtime.hasResourceProperties('AWS::SQS::QueuePolicy', { PolicyDocument: { Statement: Match.arrayWith([{
      Sid: 'PlaytimeDatasetNotifications',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: Match.anyValue(),
      Condition: {
        ArnEquals: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' },
          ':s3:::playtime-datasets']] } },
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      },
    }]) } });
  });

  it('no custom resource and no Lambda function anywhere: notifications are the bucket\'s own property', () => {
    for (const [name, template] of Object.entries(s.templates)) {
      const types = Object.values(template.toJSON().Resources).map((r: Json) => r.Type as string);
      assert.ok(types.every((t) => !t.startsWith('Custom::') && t !== 'AWS::Lambda::Function'
        && t !== 'AWS::CloudFormation::CustomResource'), `${name}: ${types.join(', ')}`);
    }
  });

  it('lake: the product-events stream, 2 shards, 24 h, KMS-encrypted with the AWS key', () => {
    s.template(s.pipelines.lake!).hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'product-events', ShardCount: 2, RetentionPeriodHours: 24,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
    const more = synth({ lakeShards: 4, lakeStream: 'events', pipelines: 'lake' });
    more.template(more.pipelines.lake!).hasResourceProperties('AWS::Kinesis::Stream', { Name: 'events', ShardCount: 4 });
  });
});

describe('alarms', () => {
  const s = synth();

  it('every dead-letter queue has an alarm on its first visible message', () => {
    let count = 0;
    for (const stack of Object.values(s.pipelines)) {
      const template = s.template(stack);
      for (const [id, queue] of Object.entries(template.findResources('AWS::SQS::Queue')) as [string, Json][]) {
        if (!queue.Properties.QueueName.endsWith('-dlq')) {
          continue;
        }
        count++;
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }],
          Statistic: 'Maximum',
          Period: 60,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
      }
    }
    assert.equal(count, 3); // logins, playtime, tracking; the lake reads Kinesis by default
  });

  it('the lake alarms when GetRecords reads 5 minutes behind, or not at all', () => {
    const template = s.template(s.pipelines.lake!);
    const [streamId] = Object.keys(template.findResources('AWS::Kinesis::Stream'));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Kinesis',
      MetricName: 'GetRecords.IteratorAgeMilliseconds',
      Dimensions: [{ Name: 'StreamName', Value: { Ref: streamId } }],
      Statistic: 'Maximum',
      Threshold: 300_000,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'breaching',
    });
    const faster = synth({ iteratorAgeAlarmSeconds: 60, pipelines: 'lake' });
    faster.template(faster.pipelines.lake!).hasResourceProperties('AWS::CloudWatch::Alarm',
      { MetricName: 'GetRecords.IteratorAgeMilliseconds', Threshold: 60_000 });
  });

  it('alarms notify the topic context names, and no topic when none is named', () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:sluice-alarms';
    const notified = synth({ alarmTopicArn: topic });
    for (const stack of Object.values(notified.pipelines) as Stack[]) {
      for (const alarm of Object.values(notified.template(stack).findResources('AWS::CloudWatch::Alarm')) as Json[]) {
        assert.deepEqual(alarm.Properties.AlarmActions, [topic], stack.stackName);
      }
    }
    for (const stack of Object.values(s.pipelines) as Stack[]) {
      for (const alarm of Object.values(s.template(stack).findResources('AWS::CloudWatch::Alarm')) as Json[]) {
        assert.equal(alarm.Properties.AlarmActions, undefined);
      }
    }
  });
});
